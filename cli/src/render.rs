//! `pecfg render <chart> --answers FILE --out DIR`: the files of the browser's "download all".

pub fn run(_args: &[&str]) -> Result<String, String> {
    Err("pecfg render: not built yet".into())
}
