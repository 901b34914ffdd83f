//! The room most tests start from: the telecom case's people, connected, positioning open.

use super::{Client, Joined, Session, TestApp};
use serde_json::{Value, json};

/// A facilitator and four representatives of three organisations, all connected, positioning
/// open.
pub struct Room {
    pub session: Session,
    pub facilitator: Client,
    /// Telecom supplier: Tess and Tom.
    pub tess: Client,
    pub tom: Client,
    /// ICT service provider: Ivo.
    pub ivo: Client,
    /// Consultancy: Carla.
    pub carla: Client,
    pub orgs: Orgs,
    /// Each representative's token, by first name in lower case.
    pub tokens: std::collections::HashMap<&'static str, String>,
}

pub struct Orgs {
    pub telecom: String,
    pub ict: String,
    pub consultancy: String,
}

pub async fn room(app: &TestApp) -> Room {
    let session = app.create_session("Sell and lease-back").await;
    let tess: Joined = app.join(&session.id, "Tess", "Telecom supplier").await;
    let tom = app.join(&session.id, "Tom", "Telecom supplier").await;
    let ivo = app.join(&session.id, "Ivo", "ICT service provider").await;
    let carla = app.join(&session.id, "Carla", "Consultancy").await;
    assert_eq!(
        tess.organisation_id, tom.organisation_id,
        "Tom chose Telecom from the list"
    );
    let (facilitator, tess_c, tom_c, ivo_c, carla_c) = tokio::join!(
        app.connect(&session.id, &session.facilitator_token, None),
        app.connect(&session.id, &tess.token, None),
        app.connect(&session.id, &tom.token, None),
        app.connect(&session.id, &ivo.token, None),
        app.connect(&session.id, &carla.token, None),
    );
    let tokens = [
        ("tess", tess.token.clone()),
        ("tom", tom.token.clone()),
        ("ivo", ivo.token.clone()),
        ("carla", carla.token.clone()),
    ]
    .into_iter()
    .collect();
    let mut room = Room {
        tokens,
        orgs: Orgs {
            telecom: tess.organisation_id.clone(),
            ict: ivo.organisation_id.clone(),
            consultancy: carla.organisation_id.clone(),
        },
        session,
        facilitator,
        tess: tess_c,
        tom: tom_c,
        ivo: ivo_c,
        carla: carla_c,
    };
    assert_eq!(room.facilitator.role, "facilitator");
    assert_eq!(room.tess.role, "representative");
    room.facilitator.ok("start_positioning", json!({})).await;
    let seq = room.facilitator.last_seq.max(1);
    for c in [
        &mut room.tess,
        &mut room.tom,
        &mut room.ivo,
        &mut room.carla,
    ] {
        c.event("positioning_started").await;
        assert!(c.last_seq >= seq);
    }
    room
}

impl Room {
    /// Everyone answers at once: the telecom side functional, the ICT provider
    /// entrepreneurial, the consultancy as given.
    pub async fn answer_telecom_case(&mut self, carla_intent: &str, carla_nature: &str) {
        tokio::join!(
            self.tess.answer("improve", "share", "motive-of-tess"),
            self.tom.answer("improve", "share", "motive-of-tom"),
            self.ivo.answer("innovate", "share", "motive-of-ivo"),
            self.carla
                .answer(carla_intent, carla_nature, "motive-of-carla"),
        );
    }

    pub fn clients(&mut self) -> [&mut Client; 5] {
        [
            &mut self.facilitator,
            &mut self.tess,
            &mut self.tom,
            &mut self.ivo,
            &mut self.carla,
        ]
    }

    /// Reveals and waits until every client has the `revealed` event.
    pub async fn reveal(&mut self) -> Value {
        self.facilitator
            .ok("reveal", json!({ "force": false }))
            .await;
        let mut revealed = Value::Null;
        for c in self.clients() {
            revealed = c.event("revealed").await;
        }
        revealed
    }
}
