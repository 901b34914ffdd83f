//! Disconnects and resumes in any order: whatever happens to the connections while the session
//! goes on, every client that resumes with the last seq it saw ends up with every event exactly
//! once, at the session's current seq. A property test over random schedules, against the real
//! server.

use crate::helpers::{Client, Session, TestApp};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy)]
enum Op {
    /// The client sends a command (if connected).
    Command(usize),
    /// The client's connection drops.
    Drop(usize),
    /// The client comes back with the last seq it saw.
    Resume(usize),
    /// The client asks for a fresh snapshot.
    Snapshot(usize),
}

fn op() -> impl Strategy<Value = Op> {
    (0..4u8, 0..4usize).prop_map(|(kind, who)| match kind {
        0 => Op::Command(who),
        1 => Op::Drop(who),
        2 => Op::Resume(who),
        _ => Op::Snapshot(who),
    })
}

/// One person: their token, their live connection (if any), and every seq they have covered,
/// by an event or by a snapshot, over all their connections.
struct Person {
    token: String,
    facilitator: bool,
    connection: Option<Client>,
    covered: BTreeSet<u64>,
    seen: u64,
    sent: usize,
}

impl Person {
    fn account(&mut self, c: &Client) {
        for m in &c.raw {
            let v: Value = serde_json::from_str(m).unwrap();
            // Within a connection the client checks that events come in order without a gap
            // (after a snapshot at N, from N + 1); across connections, resuming from `seen`
            // starts at `seen + 1`. So a set of what was covered is enough here.
            if v["type"] == "event" {
                self.covered.insert(v["seq"].as_u64().unwrap());
            }
            if v["type"] == "snapshot" {
                let upto = v["state"]["seq"].as_u64().unwrap();
                self.covered.extend(1..=upto);
            }
        }
        self.seen = self.seen.max(c.last_seq);
    }

    async fn command(&mut self) {
        let Some(c) = self.connection.as_mut() else {
            return;
        };
        self.sent += 1;
        let r = if self.facilitator {
            c.command("add_note", json!({ "text": format!("note {}", self.sent) }))
                .await
        } else {
            let pole = if self.sent.is_multiple_of(2) {
                "improve"
            } else {
                "innovate"
            };
            c.command(
                "answer",
                json!({ "axis": "intent", "pole": pole, "strength": 2 }),
            )
            .await
        };
        assert_eq!(r["type"], "ack", "{r}");
    }
}

async fn run(ops: Vec<Op>) {
    let app = TestApp::spawn().await;
    let session: Session = app.create_session("Convergence").await;
    let mut people = vec![Person {
        token: session.facilitator_token.clone(),
        facilitator: true,
        connection: None,
        covered: BTreeSet::new(),
        seen: 0,
        sent: 0,
    }];
    for i in 0..3 {
        let j = app
            .join(&session.id, &format!("Rep {i}"), &format!("Org {i}"))
            .await;
        people.push(Person {
            token: j.token,
            facilitator: false,
            connection: None,
            covered: BTreeSet::new(),
            seen: 0,
            sent: 0,
        });
    }
    for p in &mut people {
        p.connection = Some(app.connect(&session.id, &p.token, Some(0)).await);
    }
    let f = people[0].connection.as_mut().unwrap();
    f.ok("start_positioning", json!({})).await;
    for op in ops {
        match op {
            Op::Command(i) => people[i].command().await,
            Op::Drop(i) => {
                if let Some(c) = people[i].connection.take() {
                    people[i].account(&c);
                    c.close().await;
                }
            }
            Op::Resume(i) => {
                if people[i].connection.is_none() {
                    let seen = people[i].seen;
                    let c = app.connect(&session.id, &people[i].token, Some(seen)).await;
                    people[i].connection = Some(c);
                }
            }
            Op::Snapshot(i) => {
                if let Some(c) = people[i].connection.as_mut() {
                    c.snapshot().await;
                }
            }
        }
    }
    // Everyone comes back and catches up with the session as it is now.
    let last = {
        let c = people[0].connection.get_or_insert(
            app.connect(&session.id, &session.facilitator_token, Some(0))
                .await,
        );
        c.snapshot().await["seq"].as_u64().unwrap()
    };
    for p in &mut people {
        let mut c = match p.connection.take() {
            Some(c) => c,
            None => app.connect(&session.id, &p.token, Some(p.seen)).await,
        };
        c.still_usable().await;
        p.account(&c);
        assert_eq!(c.last_seq, last, "caught up to the session's seq");
        assert_eq!(
            p.covered,
            (1..=last).collect::<BTreeSet<_>>(),
            "every event once, none missing"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_client_converges_whatever_the_disconnects(ops in prop::collection::vec(op(), 1..40)) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(ops));
    }
}
