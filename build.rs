//! The Windows executable's icon and version resource (issue #30): what
//! Explorer's Properties, the installer and IT's application rules read.
//! The version comes from Cargo.toml; other targets build nothing here.

fn main() {
    println!("cargo:rerun-if-changed=packaging/hakobu.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    // Cross-compiled on Linux with Debian's mingw-w64 (.cargo/config.toml).
    if !cfg!(windows) {
        res.set_windres_path("x86_64-w64-mingw32-windres").set_ar_path("x86_64-w64-mingw32-ar");
    }
    res.set_icon("packaging/hakobu.ico")
        .set("ProductName", "hakobu")
        .set("FileDescription", "hakobu — encrypted transport archives for USB sticks")
        .set("CompanyName", "hakobu project")
        .set("LegalCopyright", "MIT OR Apache-2.0")
        .set("OriginalFilename", "hakobu.exe")
        .set_language(0x0411);
    if let Err(e) = res.compile() {
        // A Windows build without its version resource would pass unnoticed.
        panic!("the Windows resource (icon, version) could not be compiled: {e}");
    }
}
