//! `pecfg validate <chart> --answers FILE`: the same diagnostics the browser shows.

pub fn run(_args: &[&str]) -> Result<String, String> {
    Err("pecfg validate: not built yet".into())
}
