//! Times a unit group's plan as it grows: a generated group of N units (one primary, the rest
//! secondary, two per region) with 3 tenants on every unit, each running the five charts, planned
//! from its text to every file (`parse_group`, `resolve_group`, `validate_group`, then
//! `group_plan_files` with Argo CD and with Flux), for N = 1, 20 and 200.
//!
//! Run with `cargo run --release -p pecfg-core --example bench_group [N…]` (`scripts/bench.sh`
//! does); `-- --write FILE N` writes the generated group of N units instead, for the browser
//! benchmark. Prints the time of each phase, the files and bytes written, and per unit, and the
//! ratios between sizes: both grow linearly when the time and bytes per unit stay flat. A figure to
//! watch, not a test.

use std::time::{Duration, Instant};

use pecfg_core::environment::{GitOps, PlanOptions};
use pecfg_core::group::{
    group_plan_files, parse_group, resolve_group, validate_group, GroupSealed,
};

/// The chart bodies of one tenant (the README's all-charts environment, per tenant).
fn tenant_charts(index: usize) -> String {
    let sid = 100 + index;
    format!(
        r#"          tenant:
            namespace: voice-t{sid}
            values:
              redis: {{isCluster: true}}
              tenant:
                pgdb: {{dbhost: /opt/genesys/dbserver/dbserver, dbuser: /opt/genesys/dbuser/dbuser, dbname: /opt/genesys/dbname/dbname}}
                secrets:
                  pgdb: {{pwd: {{secretName: /opt/genesys/dbpassword/dbpassword}}}}
                  consul: {{acl: {{secretName: /opt/genesys/consul-shared-secret/consul-consul-voice-token}}}}
                  redis:
                    streamPwd: {{secretName: /opt/genesys/redis-tenant-secret/redis-tenant-stream}}
                    configPwd: {{secretName: /opt/genesys/redis-config-secret/redis-config-state}}
                  kafka: {{pwd: {{secretName: /opt/genesys/kafka-secrets/kafka-secrets}}}}
            secrets:
              dbserver: {{dbserver: pg-tenant.example.com}}
              dbname: {{dbname: t{sid}}}
              dbuser: {{dbuser: tenant_{sid}}}
              dbpassword: {{dbpassword: "pw-{sid}"}}
          tenant-monitor: {{namespace: voice-t{sid}, release: tenant-monitor-t{sid}}}
          ges:
            namespace: ges-t{sid}
            values:
              ges:
                configMap:
                  env: {{server: {{internal_port: 3050, external_port: 2050}}, regionAffinity: usw1}}
                  integrations:
                    redis: {{host: redis-ges.example.com, port: 6379}}
                    db: {{host: pg.example.com, name: ges{sid}, secure: true}}
            secrets:
              ges-secrets: {{REDIS-CACHEKEY: "k", DB-USER: ges_{sid}, DB-PASSWORD: "pw", AUTHENTICATION-CLIENT-ID: ges, AUTHENTICATION-CLIENT-PASSWORD: "cpw"}}
          ixn:
            values:
              ixnService:
                ixnServer:
                  db: {{name: ixn{sid}, host: pg-ixn.example.com, port: 5432}}
                  secrets: {{db: {{enabled: true, secretName: ixn-db-{sid}, username: ixn, password: "ixn-pw"}}}}
                ixnNode:
                  db: {{host: pg-node.example.com, name: node{sid}, port: 5432}}
                  redis: [{{is_redis_cluster: "false"}}]
                  secrets: {{db: {{enabled: true, secretName: ixn-node-db-{sid}, username: node, password: "node-pw"}}}}
            secrets:
              kafka-shared-secret: {{kafka-secrets: {{bootstrap: "kafka.example.com:9092"}}}}
          middleware:
            namespace: genesys-middleware-t{sid}
            values: {{genesys: {{client_id: 6f1c2a9e-1b7d-4c8e-9f00-12ab34cd56ef, environment_uri: https://api.euw2.pure.cloud}}}}
            secrets:
              genesys-integration-secrets: {{client-secret: "s-{sid}"}}
"#
    )
}

/// A group of `units` units with three tenants on every one.
fn group_text(units: usize) -> String {
    let mut text = String::from(
        "group: bench\nshared:\n  image_registry: registry.example.com\n  pull_secret_name: pullsecret\n  \
         pull_secret: {username: robot, password: \"p w\", email: ops@example.com}\n  \
         priority_class: genesysengage-high-priority\nsources:\n",
    );
    for chart in ["tenant", "tenant-monitor", "ges", "ixn", "middleware"] {
        text.push_str(&format!(
            "  {chart}: {{repository: https://charts.example.com/genesys, chart: {chart}, version: 1.0.0}}\n"
        ));
    }
    text.push_str("units:\n");
    for unit in 0..units {
        text.push_str(&format!(
            "  - {{name: u{unit}, region: r{}, role: {}, cluster: {{server: \"https://u{unit}.example.com:6443\"}}, facts: {{consul_datacenter: dc{unit}}}}}\n",
            unit / 2,
            if unit == 0 { "primary" } else { "secondary" }
        ));
    }
    text.push_str("tenants:\n");
    for tenant in 0..3 {
        text.push_str(&format!(
            "  - name: t{}\n    master: u0\n    shared: {{tenant_uuid: 9350e2fc-a1dd-4c65-8d40-1f75a2e0{:04x}, tenant_sid: \"{}\"}}\n    units:\n",
            100 + tenant,
            0x80d0 + tenant,
            100 + tenant
        ));
        let body = tenant_charts(tenant);
        for unit in 0..units {
            // The first placement carries the charts; the others point at it (an alias), as a
            // person writing a large group would.
            if unit == 0 {
                text.push_str(&format!("      u0:\n        charts: &t{tenant}\n{body}"));
            } else {
                text.push_str(&format!(
                    "      u{unit}: {{facts: {{master_location: dc0}}, charts: *t{tenant}}}\n"
                ));
            }
        }
    }
    text
}

struct Figures {
    units: usize,
    parse: Duration,
    resolve: Duration,
    check: Duration,
    files: Duration,
    total: Duration,
    count: usize,
    bytes: usize,
    findings: usize,
}

fn measure(units: usize) -> Figures {
    let text = group_text(units);
    let start = Instant::now();
    let file = parse_group(&text).expect("the generated group reads");
    let parse = start.elapsed();
    let group = resolve_group(&file).expect("the generated group resolves");
    let resolve = start.elapsed() - parse;
    let diagnostics = validate_group(&group);
    let check = start.elapsed() - parse - resolve;
    let mut count = 0;
    let mut bytes = 0;
    for flavor in [GitOps::ArgoCd, GitOps::Flux] {
        let options = PlanOptions {
            gitops: Some(flavor),
            ..PlanOptions::default()
        };
        let files = group_plan_files(&group, &diagnostics, &options, &GroupSealed::default());
        // The unit plans are the same for both flavours but Flux's secrets files; count each
        // flavour's GitOps files, and the rest once.
        for (name, text) in &files {
            let gitops = name.starts_with("argocd/") || name.starts_with("clusters/");
            if flavor == GitOps::ArgoCd || gitops {
                count += 1;
                bytes += text.len();
            }
        }
    }
    let total = start.elapsed();
    Figures {
        units,
        parse,
        resolve,
        check,
        files: total - parse - resolve - check,
        total,
        count,
        bytes,
        findings: diagnostics.len(),
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn main() {
    // `--write FILE N`: the generated group of N units as a file, for the browser benchmark
    // (scripts/bench-keystrokes.mjs opens it in the page's Unit group view).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, file, units] = args.as_slice() {
        if flag == "--write" {
            let units: usize = units.parse().expect("a number of units");
            std::fs::write(file, group_text(units)).expect("the group file is written");
            println!("wrote a group of {units} units x 3 tenants x 5 charts to {file}");
            return;
        }
    }
    let sizes: Vec<usize> = {
        let given: Vec<usize> = std::env::args()
            .skip(1)
            .filter_map(|arg| arg.parse().ok())
            .collect();
        if given.is_empty() {
            vec![1, 20, 200]
        } else {
            given
        }
    };
    println!(
        "unit group plan: N units x 3 tenants x 5 charts, from the group file's text to every file \
         (Argo CD and Flux)"
    );
    // A warm-up: the catalog parsed, the caches filled.
    let _ = measure(1);
    println!(
        "{:>6} {:>12} {:>12} {:>12} {:>12} {:>12} {:>8} {:>12} {:>12} {:>12} {:>9}",
        "units",
        "parse",
        "resolve",
        "check",
        "files",
        "total",
        "files",
        "bytes",
        "ms/unit",
        "bytes/unit",
        "findings"
    );
    let mut rows: Vec<Figures> = Vec::new();
    for &units in &sizes {
        let figures = measure(units);
        println!(
            "{:>6} {:>12} {:>12} {:>12} {:>12} {:>12} {:>8} {:>12} {:>12.2} {:>12} {:>9}",
            figures.units,
            ms(figures.parse),
            ms(figures.resolve),
            ms(figures.check),
            ms(figures.files),
            ms(figures.total),
            figures.count,
            figures.bytes,
            figures.total.as_secs_f64() * 1000.0 / units as f64,
            figures.bytes / units,
            figures.findings
        );
        rows.push(figures);
    }
    println!(
        "ratios between sizes (linear growth: the time and size ratios follow the units ratio):"
    );
    for pair in rows.windows(2) {
        let [small, large] = pair else { continue };
        println!(
            "  {} -> {} units (x{:.1}): time x{:.1}, bytes x{:.1}, time per unit x{:.2}",
            small.units,
            large.units,
            large.units as f64 / small.units as f64,
            large.total.as_secs_f64() / small.total.as_secs_f64(),
            large.bytes as f64 / small.bytes as f64,
            (large.total.as_secs_f64() / large.units as f64)
                / (small.total.as_secs_f64() / small.units as f64)
        );
    }
}
