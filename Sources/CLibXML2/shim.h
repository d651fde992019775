#ifndef LEADSHEET_CLIBXML2_SHIM_H
#define LEADSHEET_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU; its headers clash with Foundation's
// bundled ICU module. leadsheet never uses libxml2's ICU encoders.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer, which Swift 6 cannot call safely.
static inline void leadsheet_xmlFree(void *p) { xmlFree(p); }
#endif
