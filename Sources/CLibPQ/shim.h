#ifndef QORGAU_CLIBPQ_SHIM_H
#define QORGAU_CLIBPQ_SHIM_H
// libpq, the client library psql itself uses (Debian: libpq-dev).
#include <postgresql/libpq-fe.h>
#endif
