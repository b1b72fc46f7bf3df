#include "radx/radx.h"

#ifndef RADX_VERSION
#define RADX_VERSION "unknown"
#endif

const char *radx_version(void) { return RADX_VERSION; }
