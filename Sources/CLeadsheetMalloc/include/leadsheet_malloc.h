#ifndef LEADSHEET_MALLOC_H
#define LEADSHEET_MALLOC_H

/// Makes glibc's malloc serve every allocation of `bytes` or more with its own
/// memory mapping, returned to the system when freed.
///
/// By default glibc raises that threshold (up to 32 MB) each time such a block
/// is freed, after which large buffers come from the heap and freed ones are
/// kept by the process: a reader that grows and frees tables of several MB
/// would then hold their peak for good. Does nothing on other C libraries.
void leadsheet_return_large_blocks(int bytes);

#endif
