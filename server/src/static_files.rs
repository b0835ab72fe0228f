//! The built front end under `/pkg` (wasm, JavaScript, CSS), served with brotli or gzip
//! copies made once at the highest compression, instead of compressing each response on the
//! fly at the quick level a page response uses. The copies are written beside the files when
//! the server starts, in the background, for every file that has none or an older one; until
//! they exist (or when the folder cannot be written) responses are compressed as they go.

use std::{
    fs, io,
    io::Write,
    path::{Path, PathBuf},
    time::SystemTime,
};

use tower_http::services::ServeDir;

/// The files worth compressing: the rest (chunk manifests aside) is already small or packed.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "json"];

/// `/pkg`, answering with a `.br` or `.gz` copy when the browser accepts one and it exists.
pub fn service(pkg_dir: &Path) -> ServeDir {
    ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip()
}

/// Makes the missing or stale copies in the background, once per process (tests build many
/// servers in one).
pub fn spawn_precompression(pkg_dir: PathBuf) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| spawn_blocking_pass(pkg_dir));
}

fn spawn_blocking_pass(pkg_dir: PathBuf) {
    tokio::task::spawn_blocking(move || match precompress(&pkg_dir) {
        Ok(0) => {}
        Ok(written) => {
            tracing::info!(written, dir = %pkg_dir.display(), "compressed the site's files")
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => tracing::warn!(
            %error,
            dir = %pkg_dir.display(),
            "cannot write compressed copies of the site's files; compressing each response instead"
        ),
    });
}

/// Writes `file.br` and `file.gz` for every compressible file in `dir` whose copy is missing or
/// older than it, and returns how many it wrote.
pub fn precompress(dir: &Path) -> io::Result<usize> {
    let mut written = 0;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible || !path.is_file() {
            continue;
        }
        let modified = fs::metadata(&path)?.modified()?;
        let mut bytes = None;
        for encoding in [Encoding::Brotli, Encoding::Gzip] {
            let copy = encoding.copy_of(&path);
            if is_fresh(&copy, modified) {
                continue;
            }
            let bytes = match &mut bytes {
                Some(bytes) => bytes,
                None => bytes.insert(fs::read(&path)?),
            };
            write_atomically(&copy, &encoding.compress(bytes)?)?;
            written += 1;
        }
    }
    Ok(written)
}

#[derive(Clone, Copy)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn copy_of(self, path: &Path) -> PathBuf {
        let suffix = match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gz",
        };
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        PathBuf::from(name)
    }

    fn compress(self, bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        match self {
            Encoding::Brotli => {
                // Quality 11 with a 4 MiB window: the smallest brotli makes.
                let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
                writer.write_all(bytes)?;
                writer.flush()?;
            }
            Encoding::Gzip => {
                let mut writer =
                    flate2::write::GzEncoder::new(&mut out, flate2::Compression::best());
                writer.write_all(bytes)?;
                writer.finish()?;
            }
        }
        Ok(out)
    }
}

fn is_fresh(copy: &Path, source_modified: SystemTime) -> bool {
    fs::metadata(copy)
        .and_then(|m| m.modified())
        .is_ok_and(|copied| copied >= source_modified)
}

/// Another server starting on the same folder may write the same copy: each writes its own
/// temporary file and renames it into place, so a reader sees a whole copy or none.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn copies_decompress_to_the_file_and_are_made_once() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(dir.path().join("app.wasm"), &wasm)?;
        fs::write(dir.path().join("favicon.ico"), b"not compressed")?;

        assert_eq!(precompress(dir.path())?, 2);
        let mut from_br = Vec::new();
        brotli::Decompressor::new(fs::File::open(dir.path().join("app.wasm.br"))?, 4096)
            .read_to_end(&mut from_br)?;
        assert_eq!(from_br, wasm);
        let mut from_gz = Vec::new();
        flate2::read::GzDecoder::new(fs::File::open(dir.path().join("app.wasm.gz"))?)
            .read_to_end(&mut from_gz)?;
        assert_eq!(from_gz, wasm);
        assert!(!dir.path().join("favicon.ico.br").exists());

        assert_eq!(precompress(dir.path())?, 0, "fresh copies are kept");
        Ok(())
    }

    #[test]
    fn a_file_rebuilt_after_its_copy_is_compressed_again() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("app.js");
        fs::write(&file, "console.log(1)")?;
        precompress(dir.path())?;
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        fs::write(&file, "console.log(2)")?;
        fs::File::options()
            .write(true)
            .open(&file)?
            .set_modified(later)?;

        assert_eq!(precompress(dir.path())?, 2);
        let mut text = String::new();
        flate2::read::GzDecoder::new(fs::File::open(dir.path().join("app.js.gz"))?)
            .read_to_string(&mut text)?;
        assert_eq!(text, "console.log(2)");
        Ok(())
    }
}
