#include "leadsheet_malloc.h"

// <stdlib.h> first: under glibc it defines __GLIBC__.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void leadsheet_return_large_blocks(int bytes) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, bytes);
#else
  (void)bytes;
#endif
}
