import LeadsheetCore

/// Placeholder: column mapping and row normalisation (issue 2) replace this file.
public enum MappingPlaceholder {}
