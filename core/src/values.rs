//! The values model: a chart's documented defaults as a values tree, in the catalog's key order.

use serde_yaml::{Mapping, Value};

use crate::catalog::Chart;
use crate::path::{parse_path, set};

/// The tree of every documented default, nested as in values.yaml. Parameters without a
/// documented default are left out, so the tree holds only what the guide states.
pub fn defaults_tree(chart: &Chart) -> Value {
    let mut tree = Value::Mapping(Mapping::new());
    for param in &chart.params {
        if let (Some(default), Ok(segments)) = (&param.default, parse_path(&param.path)) {
            set(&mut tree, &segments, default.clone());
        }
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_chart;

    #[test]
    fn defaults_nest_in_catalog_order_and_skip_params_without_default() {
        let chart = parse_chart(
            r#"
id: t
name: T
description: d
guide: g.txt
namespace: {value: t, lines: [1, 1]}
release: {pattern: t, doc: d, lines: [1, 1]}
sections: [{id: s, title: S}]
params:
  - {path: b.port, kind: port, section: s, default: 7120, doc: d, lines: [1, 1]}
  - {path: b.name, kind: string, section: s, doc: d, lines: [1, 1]}
  - {path: "a.list[1].x", kind: string, section: s, default: "9200", doc: d, lines: [1, 1]}
"#,
        )
        .unwrap();
        let tree = defaults_tree(&chart);
        assert_eq!(
            serde_yaml::to_string(&tree).unwrap(),
            "b:\n  port: 7120\na:\n  list:\n  - null\n  - x: '9200'\n"
        );
    }
}
