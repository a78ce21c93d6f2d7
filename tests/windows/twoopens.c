// Test-only evidence for docs/WINDOWS.md (#31 item 6): writes MIB MiB and TAIL bytes of a known
// pattern to PATH the way hakobu.exe wrote an archive, then reads the file back through a fresh
// handle and says whether every byte came back. Built by scripts/test into target/wine-lane.
//
//   twoopens PATH MIB TAIL MODE
//   MODE 1: the 1 MiB blocks through a ReOpenFile'd FILE_FLAG_NO_BUFFERING twin, the tail through
//           the original, buffered handle (hakobu before the fix).
//   MODE 2: everything through the twin, the tail padded to 4 KiB and the end of the file set on
//           the twin (SetFileInformationByHandle(FileEndOfFileInfo)): hakobu now.
// Exit 0 when the file reads back right, 1 when it does not, 2 on a failed call.
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char at(long long i) { return (unsigned char)(i * 31 % 253); }

int wmain(int argc, wchar_t **argv) {
  if (argc < 5) { fwprintf(stderr, L"usage: twoopens PATH MIB TAIL MODE\n"); return 2; }
  const wchar_t *path = argv[1];
  long mib = _wtol(argv[2]), tail = _wtol(argv[3]);
  int mode = _wtoi(argv[4]);
  DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, n;
  HANDLE file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, share, NULL, CREATE_NEW, 0, NULL);
  if (file == INVALID_HANDLE_VALUE) { printf("CreateFileW: %lu\n", GetLastError()); return 2; }
  HANDLE twin = ReOpenFile(file, GENERIC_WRITE, share, FILE_FLAG_NO_BUFFERING);
  if (twin == INVALID_HANDLE_VALUE) { printf("ReOpenFile: %lu\n", GetLastError()); return 2; }
  unsigned char *buf = VirtualAlloc(NULL, 1 << 20, MEM_COMMIT, PAGE_READWRITE); // page-aligned
  long long total = 0;
  for (long i = 0; i < mib; i++) {
    for (int j = 0; j < (1 << 20); j++) buf[j] = at(total + j);
    if (!WriteFile(twin, buf, 1 << 20, &n, NULL) || n != (1 << 20)) { printf("WriteFile: %lu\n", GetLastError()); return 2; }
    total += 1 << 20;
  }
  if (tail > 0 && tail < 4096) {
    for (int j = 0; j < 4096; j++) buf[j] = j < tail ? at(total + j) : 0;
    if (mode == 1) {
      LARGE_INTEGER offset;
      offset.QuadPart = total;
      if (!SetFilePointerEx(file, offset, NULL, FILE_BEGIN) || !WriteFile(file, buf, tail, &n, NULL) || n != (DWORD)tail) {
        printf("the tail through the original handle: %lu\n", GetLastError());
        return 2;
      }
    } else {
      FILE_END_OF_FILE_INFO end;
      end.EndOfFile.QuadPart = total + tail;
      if (!WriteFile(twin, buf, 4096, &n, NULL) || n != 4096 || !SetFileInformationByHandle(twin, FileEndOfFileInfo, &end, sizeof end)) {
        printf("the padded tail through the twin: %lu\n", GetLastError());
        return 2;
      }
    }
    total += tail;
  }
  FlushFileBuffers(file);
  CloseHandle(twin);
  HANDLE back = CreateFileW(path, GENERIC_READ, share, NULL, OPEN_EXISTING, 0, NULL);
  long long pos = 0, wrong = -1;
  while (ReadFile(back, buf, 1 << 20, &n, NULL) && n > 0) {
    for (DWORD j = 0; j < n; j++)
      if (wrong < 0 && buf[j] != at(pos + j)) wrong = pos + j;
    pos += n;
  }
  CloseHandle(back);
  CloseHandle(file);
  printf("mode %d: %lld bytes read back of %lld; first wrong byte: %lld\n", mode, pos, total, wrong);
  return wrong >= 0 || pos != total;
}
