/* Test harness only, never part of a release (docs/WINDOWS.md, "The test lane").
 *
 * Rust's standard library (1.78 and later) imports ProcessPrng from
 * bcryptprimitives.dll, which Debian 12's Wine 8.0 lacks: hakobu.exe then
 * fails to start. Built with mingw as bcryptprimitives.dll and placed next
 * to the exe under test, this DLL provides ProcessPrng by calling
 * RtlGenRandom (advapi32's SystemFunction036), Windows' CSPRNG that Wine has.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       tests/windows/processprng.c tests/windows/processprng.def -ladvapi32
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length: fill larger buffers piecewise. */
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
