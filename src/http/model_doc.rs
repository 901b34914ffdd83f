//! `GET /api/model`: the collaboration model as one JSON document, in both languages, for
//! clients to show (labels, questions, the principles of Table 1).

use crate::model::{Aspect, Axis, Cluster, Form, Intent, Nature, Text};
use axum::Json;
use axum::http::header;
use serde::Serialize;

#[derive(Serialize)]
struct PoleDoc {
    id: &'static str,
    label: Text,
    description: Text,
    /// Signs that tell the poles apart (the nature axis only).
    #[serde(skip_serializing_if = "Option::is_none")]
    cues: Option<Text>,
}

#[derive(Serialize)]
struct AxisDoc {
    id: &'static str,
    label: Text,
    question: Text,
    poles: Vec<PoleDoc>,
}

#[derive(Serialize)]
struct FormDoc {
    id: &'static str,
    label: Text,
    intent: Intent,
    nature: Nature,
    example: Text,
    aim: AimDoc,
}

#[derive(Serialize)]
struct AimDoc {
    intent: Text,
    nature: Text,
}

#[derive(Serialize)]
struct AspectDoc {
    id: &'static str,
    label: Text,
    question: Text,
    principles: std::collections::BTreeMap<&'static str, Text>,
}

#[derive(Serialize)]
struct ClusterDoc {
    id: &'static str,
    label: Text,
    question: Text,
    aspects: Vec<AspectDoc>,
}

/// `GET /api/model`: the collaboration model in both languages, for clients to show. It never
/// changes while the server runs, so it is put together once.
pub async fn serve() -> (
    [(header::HeaderName, &'static str); 1],
    Json<serde_json::Value>,
) {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    (
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        Json(DOCUMENT.get_or_init(model_document).clone()),
    )
}

fn model_document() -> serde_json::Value {
    let axes = vec![
        AxisDoc {
            id: Axis::Intent.id(),
            label: Axis::Intent.label(),
            question: Axis::Intent.question(),
            poles: Intent::ALL
                .iter()
                .map(|p| PoleDoc {
                    id: p.id(),
                    label: p.label(),
                    description: p.description(),
                    cues: None,
                })
                .collect(),
        },
        AxisDoc {
            id: Axis::Nature.id(),
            label: Axis::Nature.label(),
            question: Axis::Nature.question(),
            poles: Nature::ALL
                .iter()
                .map(|p| PoleDoc {
                    id: p.id(),
                    label: p.label(),
                    description: p.description(),
                    cues: Some(p.cues()),
                })
                .collect(),
        },
    ];
    let forms: Vec<FormDoc> = Form::ALL
        .iter()
        .map(|&f| FormDoc {
            id: f.id(),
            label: f.label(),
            intent: f.intent(),
            nature: f.nature(),
            example: f.example(),
            aim: AimDoc {
                intent: f.aim(Axis::Intent),
                nature: f.aim(Axis::Nature),
            },
        })
        .collect();
    let clusters: Vec<ClusterDoc> = Cluster::ALL
        .iter()
        .map(|&c| ClusterDoc {
            id: c.id(),
            label: c.label(),
            question: c.question(),
            aspects: c
                .aspects()
                .iter()
                .map(|&a: &Aspect| AspectDoc {
                    id: a.id(),
                    label: a.label(),
                    question: a.question(),
                    principles: Form::ALL
                        .iter()
                        .map(|&f| (f.id(), a.principle(f)))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    serde_json::json!({ "axes": axes, "forms": forms, "clusters": clusters })
}
