//! Air-gapped mirroring: the catalog's images and mirror block and what the lint refuses of them;
//! the inventory of every scenario, guide sample and environment (snapshots in
//! `snapshots/mirror/`, UPDATE_SNAPSHOTS=1 rewrites them), each image traced to its parameters and
//! its missing parts named; images.txt and what the mirror copies.

mod common;

use std::path::PathBuf;

use pecfg_core::catalog::registry::{all_charts, chart, platform};
use pecfg_core::catalog::{ConstantPart, ImagePart};
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
        .unwrap()
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
    let mut broken = platform().unwrap().clone();
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

// ------------------------------------------------------------------------- the inventory

use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::environment::{environment_inventory, environment_mirror};
use pecfg_core::environment::{parse_environment, resolve, Resolved};
use pecfg_core::mirror::{
    chart_inventory, chart_mirror, images_txt, mirror_files, mirror_ps1, mirror_sh, ImageInventory,
    MirrorOptions, Origin, Part, PartState,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scenario(id: &str) -> Answers {
    parse_answers(
        &std::fs::read_to_string(repo().join(format!("core/tests/scenarios/{id}.answers.yaml")))
            .unwrap(),
    )
    .unwrap()
}

fn environment(name: &str) -> Resolved {
    let text =
        std::fs::read_to_string(repo().join(format!("tests/environments/{name}.yaml"))).unwrap();
    resolve(&parse_environment(&text).unwrap()).unwrap()
}

fn part_text(what: &str, part: &Part) -> String {
    let origin = match &part.from {
        Origin::Param { path, default } => {
            format!("{path}{}", if *default { " (default)" } else { "" })
        }
        Origin::Constant => "constant".into(),
        Origin::FromName => "from the name".into(),
        Origin::Undocumented => "not in the guide".into(),
    };
    let state = match &part.state {
        PartState::Known(text) => text.clone(),
        PartState::Missing => "MISSING".into(),
        PartState::Pending => "PENDING".into(),
        PartState::Refused(why) => format!("REFUSED ({why})"),
    };
    format!("  {what:<10} {state}  <- {origin}\n")
}

/// The inventory as a snapshot shows it: each image, whether it is pulled, its reference, and
/// every part with where it came from.
fn render(inventory: &[ImageInventory]) -> String {
    let mut out = String::new();
    for image in inventory {
        let head = match (&image.skipped, &image.reference) {
            (Some(why), _) => format!("not pulled: {why}"),
            (None, Some(reference)) => reference.clone(),
            (None, None) => "INCOMPLETE".into(),
        };
        out.push_str(&format!("{}: {head}  [{}]\n", image.name(), image.lines));
        out.push_str(&part_text("registry", &image.registry));
        out.push_str(&part_text("repository", &image.repository));
        out.push_str(&part_text("tag", &image.tag));
        for problem in image.problems() {
            out.push_str(&format!("  ! {problem}\n"));
        }
    }
    out
}

fn pulled_references(inventory: &[ImageInventory]) -> Vec<&str> {
    inventory
        .iter()
        .filter(|image| image.pulled)
        .filter_map(|image| image.reference.as_deref())
        .collect()
}

fn find<'i>(inventory: &'i [ImageInventory], name: &str) -> &'i ImageInventory {
    inventory
        .iter()
        .find(|image| image.name() == name)
        .unwrap_or_else(|| panic!("no image {name}"))
}

fn param(part: &Part) -> &str {
    match &part.from {
        Origin::Param { path, .. } => path,
        other => panic!("not from a parameter: {other:?}"),
    }
}

#[test]
fn snapshots_of_the_inventory_of_every_scenario_and_environment() {
    let mut failures = Vec::new();
    for id in ["ges", "tenant", "tenant-monitor", "ixn", "middleware"] {
        let chart = chart(id).unwrap();
        let inventory =
            chart_inventory(&pecfg_core::validation::Evaluated::of(chart, &scenario(id)));
        common::check_snapshot(
            "mirror",
            &format!("{id}.scenario.txt"),
            &render(&inventory),
            &mut failures,
        );
    }
    // The guides' samples: the values the form starts with (the samples' prefills), plus the
    // sidecar blocks the guides show.
    let mut tenant = pecfg_core::values::new_answers(chart("tenant").unwrap());
    for (path, value) in [
        ("images.fluentBit.enable", "true"),
        ("images.fluentBit.tag", "1.8.x"),
    ] {
        pecfg_core::answers::set_value(&mut tenant.values, path, value.into()).unwrap();
    }
    let mut ixn = pecfg_core::values::new_answers(chart("ixn").unwrap());
    ixn.values = serde_yaml::from_str(
        "image: {registry: pureengage-docker-staging.jfrog.io}\n\
         ixnService: {image: {logSidecar: {enabled: true, repository: fluent/fluent-bit, tag: '1.8.5'}}}\n",
    )
    .unwrap();
    for (name, chart_id, answers) in [("tenant", "tenant", &tenant), ("ixn", "ixn", &ixn)] {
        let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
            chart(chart_id).unwrap(),
            answers,
        ));
        common::check_snapshot(
            "mirror",
            &format!("{name}.guide-sample.txt"),
            &render(&inventory),
            &mut failures,
        );
    }
    for name in ["all-charts", "air-gapped"] {
        let resolved = environment(name);
        let plan = environment_mirror(&resolved, &MirrorOptions::default());
        common::check_snapshot(
            "mirror",
            &format!("{name}.txt"),
            &render(&plan.inventory),
            &mut failures,
        );
        for (file, text) in mirror_files(&plan) {
            common::check_snapshot("mirror", &format!("{name}.{file}"), &text, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_ixn_scenario_pulls_its_four_images_each_traced_to_its_parameters() {
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("ixn").unwrap(),
        &scenario("ixn"),
    ));
    assert_eq!(
        pulled_references(&inventory),
        [
            "pureengage-docker-staging.jfrog.io/ixn/interaction_server:100.0.100.0011",
            "pureengage-docker-staging.jfrog.io/ixn/ixn_node:latest",
            "pureengage-docker-staging.jfrog.io/ixn/ixn_vq_node:9200",
            "pureengage-docker-staging.jfrog.io/fluent/fluent-bit:1.8.5",
        ]
    );
    let server = find(&inventory, "ixn/ixn-server");
    assert_eq!(param(&server.registry), "image.registry");
    assert_eq!(
        param(&server.repository),
        "ixnService.image.ixnServer.repository"
    );
    assert_eq!(param(&server.tag), "ixnService.image.ixnServer.tag");
    let sidecar = find(&inventory, "ixn/log-sidecar");
    assert_eq!(param(&sidecar.tag), "ixnService.image.logSidecar.tag");
    assert_eq!(sidecar.mirror_from.as_deref(), Some("docker.io"));
    // The sidecar is pulled only while it is enabled (the table's default is off).
    let mut off = scenario("ixn");
    pecfg_core::answers::set_value(
        &mut off.values,
        "ixnService.image.logSidecar.enabled",
        false.into(),
    )
    .unwrap();
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("ixn").unwrap(),
        &off,
    ));
    let sidecar = find(&inventory, "ixn/log-sidecar");
    assert!(!sidecar.pulled);
    assert!(
        sidecar
            .skipped
            .as_deref()
            .unwrap()
            .contains("ixnService.image.logSidecar.enabled"),
        "{sidecar:?}"
    );
}

#[test]
fn missing_parts_are_reported_never_invented() {
    // GES: the guide gives registry and image, no tag: the chart's own default applies.
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("ges").unwrap(),
        &scenario("ges"),
    ));
    let ges = find(&inventory, "ges/ges");
    assert_eq!(ges.tag.from, Origin::Undocumented);
    assert_eq!(ges.tag.state, PartState::Missing);
    assert_eq!(ges.reference, None);
    assert!(
        ges.problems()[0].contains("the guide gives no tag"),
        "{ges:?}"
    );
    assert_eq!(
        ges.repository.from,
        Origin::Param {
            path: "ges.deployment.image.image".into(),
            default: true
        }
    );
    // IXN with its repository and tags left to versions.yaml, and an empty registry.
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("ixn").unwrap(),
        &Answers::new("ixn"),
    ));
    assert!(pulled_references(&inventory).is_empty());
    let server = find(&inventory, "ixn/ixn-server");
    assert_eq!(
        server.registry.state,
        PartState::Missing,
        "the default is \"\""
    );
    assert_eq!(server.tag.state, PartState::Missing);
    let problems = server.problems().join("; ");
    assert!(
        problems.contains("`image.registry` is not set"),
        "{problems}"
    );
    assert!(
        problems.contains("`ixnService.image.ixnServer.tag` is not set: the chart's own default"),
        "{problems}"
    );
    // The Tenant: the guide names no repository of its own images.
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("tenant").unwrap(),
        &scenario("tenant"),
    ));
    for name in ["tenant/tenant", "tenant/pgdb-init", "tenant/pulse-init"] {
        let image = find(&inventory, name);
        assert!(image.pulled, "{name}");
        assert_eq!(image.repository.from, Origin::Undocumented, "{name}");
        assert_eq!(param(&image.registry), "images.registry");
    }
    // rcsInit is switched off in the scenario; the JSON sidecar on, with no fbregistry.
    assert!(!find(&inventory, "tenant/rcs-init").pulled);
    let json = find(&inventory, "tenant/fluent-bit-json");
    assert!(json.pulled);
    assert_eq!(param(&json.repository), "images.fbregistry");
    assert_eq!(json.repository.state, PartState::Missing);
    // images.txt names them in its comment block, never as a line.
    let plan = chart_mirror(
        &pecfg_core::validation::Evaluated::of(chart("tenant").unwrap(), &scenario("tenant")),
        &MirrorOptions::default(),
    );
    let text = images_txt(&plan);
    assert!(
        text.lines().all(|line| line.starts_with('#')),
        "no reference is known:\n{text}"
    );
    assert!(
        text.contains("tenant/tenant: the guide gives no repository"),
        "{text}"
    );
}

#[test]
fn a_name_without_registry_is_pulled_from_docker_hub() {
    // The Tenant's sample fbregistry, fluent/fluent-bit, has no registry host.
    let mut answers = scenario("tenant");
    pecfg_core::answers::set_value(
        &mut answers.values,
        "images.fbregistry",
        "fluent/fluent-bit".into(),
    )
    .unwrap();
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("tenant").unwrap(),
        &answers,
    ));
    let json = find(&inventory, "tenant/fluent-bit-json");
    assert_eq!(
        json.reference.as_deref(),
        Some("docker.io/fluent/fluent-bit:1.8.15")
    );
    assert_eq!(json.registry.from, Origin::FromName);
    assert_eq!(json.host.as_deref(), Some("docker.io"));
    // With a host first, it is pulled from that host.
    pecfg_core::answers::set_value(
        &mut answers.values,
        "images.fbregistry",
        "registry.example.com/fluent/fluent-bit".into(),
    )
    .unwrap();
    let inventory = chart_inventory(&pecfg_core::validation::Evaluated::of(
        chart("tenant").unwrap(),
        &answers,
    ));
    let json = find(&inventory, "tenant/fluent-bit-json");
    assert_eq!(
        json.reference.as_deref(),
        Some("registry.example.com/fluent/fluent-bit:1.8.15")
    );
    assert_eq!(json.kept.as_deref(), Some("fluent/fluent-bit"));
    // A registry value without a dot is a Docker Hub account, as the runtime reads it.
    let mut ges = scenario("ges");
    pecfg_core::answers::set_value(
        &mut ges.values,
        "ges.deployment.image.registry",
        "myregistry".into(),
    )
    .unwrap();
    let plan = chart_mirror(
        &pecfg_core::validation::Evaluated::of(chart("ges").unwrap(), &ges),
        &MirrorOptions::default(),
    );
    assert_eq!(plan.inventory[0].prefix, None, "no tag, no reference");
}

#[test]
fn the_environment_inventory_lists_every_member_in_order() {
    let inventory = environment_inventory(&environment("all-charts"));
    let names: Vec<String> = inventory.iter().map(ImageInventory::name).collect();
    assert_eq!(names.len(), 14, "{names:?}");
    assert_eq!(names[0], "tenant/tenant");
    assert_eq!(names[9], "ges/ges");
    assert_eq!(names[10], "ixn/ixn-server");
    // The shared registry reached every chart that carries it.
    for name in ["tenant/tenant", "ges/ges", "ixn/ixn-server"] {
        assert_eq!(
            find(&inventory, name).registry.known(),
            Some("registry.example.com"),
            "{name}"
        );
    }
    let pulled = inventory.iter().filter(|image| image.pulled).count();
    assert_eq!(pulled, 8);
    assert!(pulled_references(&inventory).is_empty());
    // The air-gapped site pins what it pulls.
    let inventory = environment_inventory(&environment("air-gapped"));
    assert_eq!(
        pulled_references(&inventory),
        [
            "registry.example.com/ixn/interaction_server:100.0.100.0011",
            "registry.example.com/ixn/ixn_node:100.0.100.0011",
            "registry.example.com/ixn/ixn_vq_node:100.0.100.0007",
            "registry.example.com/fluent/fluent-bit:1.8.5",
        ]
    );
}

#[test]
fn images_txt_is_sorted_unique_and_the_mirror_copies_from_the_vendor() {
    let resolved = environment("air-gapped");
    let plan = environment_mirror(&resolved, &MirrorOptions::default());
    let text = images_txt(&plan);
    let lines: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(lines, sorted);
    assert_eq!(lines.len(), 4);
    let copies: Vec<(&str, &str)> = plan
        .copied_images()
        .map(|copy| (copy.source.as_str(), copy.target.as_str()))
        .collect();
    assert_eq!(
        copies,
        [
            (
                "pureengageuse1-docker-multicloud.jfrog.io/ixn/interaction_server:100.0.100.0011",
                "registry.example.com/ixn/interaction_server:100.0.100.0011"
            ),
            (
                "pureengageuse1-docker-multicloud.jfrog.io/ixn/ixn_node:100.0.100.0011",
                "registry.example.com/ixn/ixn_node:100.0.100.0011"
            ),
            (
                "pureengageuse1-docker-multicloud.jfrog.io/ixn/ixn_vq_node:100.0.100.0007",
                "registry.example.com/ixn/ixn_vq_node:100.0.100.0007"
            ),
            (
                "docker.io/fluent/fluent-bit:1.8.5",
                "registry.example.com/fluent/fluent-bit:1.8.5"
            ),
        ]
    );
    let charts: Vec<(&str, Option<&str>, &str)> = plan
        .copied_charts()
        .map(|copy| {
            (
                copy.name.as_deref().unwrap(),
                copy.version.as_deref(),
                copy.target.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        charts,
        [
            (
                "tenant",
                Some("100.0.100.0011"),
                "oci://registry.example.com/helm-multicloud"
            ),
            (
                "tenantmonitor",
                Some("100.0.100.0002"),
                "oci://registry.example.com/helm-multicloud"
            ),
            (
                "ixn",
                Some("100.0.1"),
                "oci://registry.example.com/helm-multicloud"
            ),
        ]
    );
    // GES (no archive name in its guide) and the local middleware chart are named, not copied.
    let sh = mirror_sh(&plan);
    assert!(
        sh.contains("#   chart ges: the guide names no archive"),
        "{sh}"
    );
    assert!(sh.contains("#   chart middleware:"), "{sh}");
    // The same bytes every time, and the options move source and target.
    assert_eq!(
        sh,
        mirror_sh(&environment_mirror(&resolved, &MirrorOptions::default()))
    );
    let moved = environment_mirror(
        &resolved,
        &MirrorOptions {
            source_registry: Some("vendor.example.net".into()),
            target_registry: Some("mirror.example.org:5000/genesys".into()),
            ..MirrorOptions::default()
        },
    );
    let first = moved.copied_images().next().unwrap();
    assert_eq!(
        first.source,
        "vendor.example.net/ixn/interaction_server:100.0.100.0011"
    );
    assert_eq!(
        first.target,
        "mirror.example.org:5000/genesys/ixn/interaction_server:100.0.100.0011"
    );
    assert_eq!(
        moved.charts[0].target.as_deref(),
        Some("oci://mirror.example.org:5000/genesys/helm-multicloud")
    );
    let ps1 = mirror_ps1(&moved);
    assert!(
        ps1.contains("Copy-Image 'vendor.example.net/ixn/interaction_server:100.0.100.0011' 'mirror.example.org:5000/genesys/ixn/interaction_server:100.0.100.0011'"),
        "{ps1}"
    );
}

#[test]
fn an_image_outside_your_registry_is_not_copied_unless_a_target_is_given() {
    // The IXN scenario pulls from the vendor's staging registry.
    let plan = chart_mirror(
        &pecfg_core::validation::Evaluated::of(chart("ixn").unwrap(), &scenario("ixn")),
        &MirrorOptions::default(),
    );
    assert_eq!(plan.copied_images().count(), 0);
    assert!(plan.images.iter().all(|copy| copy
        .skipped
        .as_deref()
        .is_some_and(|why| why.contains("pureengage-docker-staging.jfrog.io"))));
    let plan = chart_mirror(
        &pecfg_core::validation::Evaluated::of(chart("ixn").unwrap(), &scenario("ixn")),
        &MirrorOptions {
            target_registry: Some("registry.example.com".into()),
            chart_version: Some("100.0.1".into()),
            ..MirrorOptions::default()
        },
    );
    assert_eq!(plan.copied_images().count(), 4);
    assert_eq!(plan.copied_charts().count(), 1);
    // A refused option is named and never used.
    let plan = chart_mirror(
        &pecfg_core::validation::Evaluated::of(chart("ixn").unwrap(), &scenario("ixn")),
        &MirrorOptions {
            target_registry: Some("-x".into()),
            ..MirrorOptions::default()
        },
    );
    assert!(plan.refused[0].contains("the target registry starts with `-`"));
    assert!(!mirror_sh(&plan).contains("-x/"));
}

#[test]
fn the_plan_holds_the_mirror_files_and_air_gapped_makes_a_public_image_an_error() {
    use pecfg_core::catalog::Severity;
    use pecfg_core::environment::{plan_files, validate_environment, PlanOptions};
    let resolved = environment("air-gapped");
    assert!(resolved.air_gapped);
    assert!(!environment("all-charts").air_gapped, "false by default");
    let files = plan_files(&resolved, &PlanOptions::default());
    let expected = mirror_files(&environment_mirror(&resolved, &MirrorOptions::default()));
    for (name, text) in &expected {
        let written = files.iter().find(|(file, _)| file == name);
        assert_eq!(written.map(|(_, t)| t), Some(text), "{name} in the plan");
    }
    let diagnostics = validate_environment(&resolved);
    assert!(
        diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{diagnostics:#?}"
    );
    // The Tenant's Fluent Bit from Docker Hub: an error while air-gapped, a warning otherwise.
    let text = std::fs::read_to_string(repo().join("tests/environments/air-gapped.yaml"))
        .unwrap()
        .replace(
            "        tenant: {tag: \"100.0.100.0011\"}",
            "        tenant: {tag: \"100.0.100.0011\"}\n        fbregistry: fluent/fluent-bit\n        fluentBitUrs: {enable: \"true\", tag: \"1.8.15\"}",
        );
    for (air_gapped, severity) in [(true, Severity::Error), (false, Severity::Warning)] {
        let text = text.replace("air_gapped: true", &format!("air_gapped: {air_gapped}"));
        let resolved = resolve(&parse_environment(&text).unwrap()).unwrap();
        let found: Vec<_> = validate_environment(&resolved)
            .into_iter()
            .filter(|d| d.rule == "env.image-public-registry")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, severity);
        assert_eq!(found[0].path, "images.fbregistry");
        assert!(found[0]
            .message
            .contains("docker.io/fluent/fluent-bit:1.8.15"));
    }
}
