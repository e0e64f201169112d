#ifndef QORGAU_CLIBPQ_SHIM_H
#define QORGAU_CLIBPQ_SHIM_H
// libpq, the client library psql itself uses (Debian: libpq-dev), for its types only: the module links nothing,
// and PostgresStore's LibPQ loads libpq.so.5 (dlopen) when a PostgreSQL address is first used.
#include <postgresql/libpq-fe.h>
#endif
