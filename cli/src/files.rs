//! Files in and out: every file the CLI reads is decoded as Windows tools write it too (a byte-order mark dropped, UTF-16 with one decoded, anything else refused with the reason), and every file it writes lands under the folder it was given, scripts executable.

use std::path::{Path, PathBuf};

use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::Chart;

/// A text file, decoded (`pecfg_core::text::decode`); errors name the file.
pub fn read_text(command: &str, path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path)
        .map_err(|error| format!("pecfg {command}: {}: {error}", path.display()))?;
    pecfg_core::text::decode(&bytes)
        .map_err(|error| format!("pecfg {command}: {}: {error}", path.display()))
}

/// An answers file for `chart`, through the input boundary; refused when it names another chart.
pub fn read_answers(command: &str, path: &Path, chart: &Chart) -> Result<Answers, String> {
    let text = read_text(command, path)?;
    let answers = parse_answers(&text)
        .map_err(|error| format!("pecfg {command}: {}: {error}", path.display()))?;
    if answers.chart != chart.id {
        return Err(format!(
            "pecfg {command}: {} is for chart `{}`, not `{}`",
            path.display(),
            answers.chart,
            chart.id
        ));
    }
    Ok(answers)
}

/// Writes one file under `dir` (making the folders a plan's own names have, `gitops/x.yaml`);
/// a `.sh` file is made executable.
pub fn write_file(command: &str, dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("pecfg {command}: {}: {error}", parent.display()))?;
    }
    std::fs::write(&path, bytes)
        .map_err(|error| format!("pecfg {command}: {}: {error}", path.display()))?;
    #[cfg(unix)]
    if name.ends_with(".sh") {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|error| format!("pecfg {command}: {}: {error}", path.display()))?;
    }
    Ok(path)
}

/// Seconds since the Unix epoch, for a certificate's expiry check.
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

/// The problems that block writing, one per line, for a refusal or a `--force` note.
pub fn listed(reasons: &[String]) -> String {
    reasons
        .iter()
        .map(|reason| format!("  {reason}\n"))
        .collect()
}
