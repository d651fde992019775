/// One parsed `--map` option.
///
/// `--map firstname=Prénom` names the column of a field;
/// `--map custom.crm_id=Record ID` copies a column into `custom`;
/// `--map domain=` (nothing after `=`) turns a field off: it is neither
/// recognised automatically nor derived.
public enum MapArgument: Sendable, Hashable {
  /// A field taken from the named column; an empty header turns the field off.
  case field(RequestField, header: String)
  /// A column copied into `custom` under `key`.
  case custom(CustomField)
}
