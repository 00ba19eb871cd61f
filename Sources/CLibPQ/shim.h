#ifndef DWH_CLIBPQ_SHIM_H
#define DWH_CLIBPQ_SHIM_H

#include <libpq-fe.h>

/* The PG_DIAG_* codes are macros over character literals, which Swift does not import. */
static inline int dwh_pg_diag_severity(void)          { return PG_DIAG_SEVERITY_NONLOCALIZED; }
static inline int dwh_pg_diag_sqlstate(void)          { return PG_DIAG_SQLSTATE; }
static inline int dwh_pg_diag_message_primary(void)   { return PG_DIAG_MESSAGE_PRIMARY; }
static inline int dwh_pg_diag_message_detail(void)    { return PG_DIAG_MESSAGE_DETAIL; }
static inline int dwh_pg_diag_message_hint(void)      { return PG_DIAG_MESSAGE_HINT; }
static inline int dwh_pg_diag_statement_position(void){ return PG_DIAG_STATEMENT_POSITION; }
static inline int dwh_pg_diag_internal_position(void) { return PG_DIAG_INTERNAL_POSITION; }
static inline int dwh_pg_diag_context(void)           { return PG_DIAG_CONTEXT; }
static inline int dwh_pg_diag_table_name(void)        { return PG_DIAG_TABLE_NAME; }
static inline int dwh_pg_diag_column_name(void)       { return PG_DIAG_COLUMN_NAME; }

#endif
