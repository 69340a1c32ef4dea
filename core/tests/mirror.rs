//! Air-gapped mirroring: the catalog's images and mirror block, and what the lint refuses of them.

use pecfg_core::catalog::{ConstantPart, ImagePart};
use pecfg_core::charts::{all_charts, chart, platform};
use pecfg_core::lint::{lint_chart, lint_platform, load_guides};

fn seeds_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds")
}

#[test]
fn every_chart_declares_its_images_or_says_why_it_has_none() {
    for chart in all_charts() {
        if chart.images.is_empty() {
            assert!(
                chart
                    .concepts
                    .iter()
                    .any(|concept| concept.name.to_lowercase().contains("image")),
                "{} has no images and no decision saying why",
                chart.id
            );
        }
        for image in &chart.images {
            assert!(
                image.decision.is_some(),
                "{}/{}: no decision",
                chart.id,
                image.id
            );
        }
    }
    let ids = |id: &str| -> Vec<String> {
        chart(id)
            .unwrap()
            .images
            .iter()
            .map(|image| image.id.clone())
            .collect()
    };
    assert_eq!(ids("ges"), ["ges"]);
    assert_eq!(
        ids("tenant"),
        [
            "tenant",
            "pgdb-init",
            "rcs-init",
            "pulse-init",
            "fluent-bit-json",
            "fluent-bit-urs",
            "fluent-bit-ss",
            "fluent-bit-ocs",
            "fluent-bit-cs"
        ]
    );
    assert_eq!(
        ids("ixn"),
        ["ixn-server", "ixn-node", "ixn-vqnode", "log-sidecar"]
    );
    assert!(ids("tenant-monitor").is_empty() && ids("middleware").is_empty());
    let mirror = platform()
        .mirror
        .as_ref()
        .expect("platform.yaml has a mirror block");
    assert_eq!(
        mirror.source_registry.value,
        "pureengageuse1-docker-multicloud.jfrog.io"
    );
    assert!(mirror.helm_repository.decision.is_some());
    for id in ["tenant", "tenant-monitor", "ges", "ixn", "middleware"] {
        assert!(
            mirror.charts.iter().any(|archive| archive.chart == id),
            "no archive entry for {id}"
        );
    }
}

#[test]
fn the_lint_refuses_an_image_that_reads_nothing() {
    let guides = load_guides(&seeds_dir());
    let mut broken = chart("ixn").unwrap().clone();
    let mut image = broken.images[0].clone();
    image.tag = Some(ImagePart::Path("ixnService.image.ixnServer.tagg".into()));
    image.when = vec![pecfg_core::catalog::Condition::Set("no.such.flag".into())];
    broken.images.push(image.clone());
    let mut constant = image.clone();
    constant.id = "Bad Id".into();
    constant.repository = Some(ImagePart::Constant(ConstantPart {
        value: "Ixn/$(reboot)".into(),
    }));
    constant.source.lines = [3830, 99999];
    broken.images.push(constant);
    let problems = lint_chart(&broken, guides.as_ref()).join("\n");
    assert!(
        problems.contains("image ixn-server is listed twice"),
        "{problems}"
    );
    assert!(
        problems.contains("`ixnService.image.ixnServer.tagg` matches no parameter"),
        "{problems}"
    );
    assert!(
        problems.contains("`no.such.flag` matches no parameter"),
        "{problems}"
    );
    assert!(
        problems.contains("the id is not a DNS-1123 label"),
        "{problems}"
    );
    assert!(problems.contains("the constant repository"), "{problems}");
    if guides.is_some() {
        assert!(problems.contains("past the end of"), "{problems}");
    }
    // The catalog itself is clean.
    for chart in all_charts() {
        assert!(
            lint_chart(chart, guides.as_ref()).is_empty(),
            "{}",
            chart.id
        );
    }
}

#[test]
fn the_lint_refuses_a_mirror_block_it_cannot_use() {
    let mut broken = platform().clone();
    let mirror = broken.mirror.as_mut().unwrap();
    mirror.source_registry.value = "-evil.example.com".into();
    mirror.helm_repository.value = "ftp://x".into();
    mirror.charts[0].chart = "zzz".into();
    let ids: Vec<&str> = all_charts().iter().map(|c| c.id.as_str()).collect();
    let problems = lint_platform(&broken, &ids, None).join("\n");
    assert!(
        problems.contains("mirror.source_registry starts with `-`"),
        "{problems}"
    );
    assert!(
        problems.contains("mirror.helm_repository is not an http(s)"),
        "{problems}"
    );
    assert!(problems.contains("unknown chart `zzz`"), "{problems}");
}
