//! The form area: the selected chart's sections and parameters, read from the catalog.

use leptos::prelude::*;
use pecfg_core::catalog::Chart;
use pecfg_core::listing::source_text;

#[component]
pub fn FormArea(chart: &'static Chart) -> impl IntoView {
    let sections = chart
        .sections
        .iter()
        .map(|section| {
            let params = chart
                .params
                .iter()
                .filter(|param| param.section == section.id)
                .map(|param| {
                    view! {
                        <li class="field" data-path=param.path.clone()>
                            <span class="field-label">{param.label().to_string()}</span>
                            <code class="field-path">{param.path.clone()}</code>
                            <span class="field-kind">{param.kind.as_str()}</span>
                            <p class="field-doc">{param.doc.clone()}</p>
                            <span class="field-source">{source_text(chart, &param.source)}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <details class="form-section" open=true>
                    <summary>{section.title.clone()}</summary>
                    <ul class="field-list">{params}</ul>
                </details>
            }
        })
        .collect_view();
    view! {
        <h2 class="panel-title" id="form-title">{chart.name.clone()}</h2>
        <p class="chart-description">{chart.description.clone()}</p>
        <p class="chart-facts">
            "Namespace " <code>{chart.namespace.value.clone()}</code>
            " · release " <code>{chart.release.pattern.clone()}</code>
        </p>
        {sections}
    }
}
