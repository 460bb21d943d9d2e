#ifndef NEWSMILL_CZLIB_SHIM_H
#define NEWSMILL_CZLIB_SHIM_H
#include <zlib.h>
#include "cpu.h"

/* zlib's init functions are macros Swift cannot import; wrap them. */
static inline int newsmill_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int newsmill_deflateInit2(z_streamp strm, int level, int method, int windowBits,
                                        int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
