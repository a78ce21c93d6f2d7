/* Test-only (the Windows lane): prints a file's owner and DACL as SDDL, so a
   test can check that hakobu.exe made a key file its owner's alone. Never part
   of a release. */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv) {
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD r = GetNamedSecurityInfoW(argv[1], SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL, &sd);
    if (r != ERROR_SUCCESS) { fprintf(stderr, "GetNamedSecurityInfoW: %lu\n", r); return 2; }
    LPWSTR text = NULL;
    if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &text, NULL)) { fprintf(stderr, "convert: %lu\n", GetLastError()); return 3; }
    wprintf(L"%ls\n", text);
    return 0;
}
