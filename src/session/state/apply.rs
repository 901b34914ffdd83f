//! The fold: how each event changes the state. One exhaustive match with no catch-all, so a
//! new event that nobody handles does not compile. No rules are checked here: every event in
//! the log was allowed by `decide` before it was stored, so applying it never fails.

use super::super::event::{Event, Recorded};
use super::super::values::{Phase, Position};
use super::State;
use super::diagnosis::{Diagnosis, PlacementStatus};
use super::records::{
    Approval, Closure, Note, Objection, Observer, Organisation, Participant, Rationale, Resolution,
    RevealedRound, Timer,
};
use super::tracks::{Agreement, AspectStatus, Track};
use crate::session::diagnosis::Mode;
use crate::session::unicode::name_key;
use crate::session::values::Role;

impl State {
    /// Applies one recorded event.
    pub fn apply(&mut self, recorded: &Recorded) {
        self.last_seq = recorded.seq;
        let at = recorded.at;
        let by = recorded.by;
        match &recorded.event {
            Event::SessionCreated {
                title,
                language,
                facilitator,
                facilitator_name,
                settings,
                join_code,
                time_zone,
                mode,
                subject,
                baseline,
            } => {
                self.created = true;
                self.baseline = baseline.as_deref().cloned();
                if *mode == Mode::Diagnosis {
                    self.diagnosis = Some(Diagnosis::new(subject.unwrap_or_default()));
                }
                self.time_zone = time_zone.clone();
                self.join_code = join_code.clone();
                self.title = title.clone();
                self.language = *language;
                self.created_at = Some(at);
                self.settings = *settings;
                self.participants.push(Participant {
                    id: *facilitator,
                    key: name_key(facilitator_name),
                    name: facilitator_name.clone(),
                    role: Role::Facilitator,
                    organisation: None,
                    removed: false,
                });
            }
            Event::OrganisationAdded { organisation, name } => {
                self.organisations.push(Organisation {
                    id: *organisation,
                    key: name_key(name),
                    name: name.clone(),
                    merged_into: None,
                    advisor: false,
                    goal: None,
                })
            }
            Event::ParticipantJoined {
                participant,
                name,
                role,
                organisation,
            } => self.participants.push(Participant {
                id: *participant,
                key: name_key(name),
                name: name.clone(),
                role: *role,
                organisation: *organisation,
                removed: false,
            }),
            Event::SettingsChanged { settings } => self.settings = *settings,
            Event::TimeZoneSet { time_zone } => self.time_zone = Some(time_zone.clone()),
            Event::GoalStated { organisation, text } => match organisation {
                None => self.joint_goal = text.clone(),
                Some(id) => {
                    if let Some(o) = self.organisations.iter_mut().find(|o| o.id == *id) {
                        o.goal = text.clone();
                    }
                }
            },
            Event::AdvisorSet {
                organisation,
                advisor,
            } => {
                if let Some(o) = self
                    .organisations
                    .iter_mut()
                    .find(|o| o.id == *organisation)
                {
                    o.advisor = *advisor;
                }
            }
            Event::PositioningStarted { round } | Event::NewRoundStarted { round } => {
                if let Event::NewRoundStarted { .. } = recorded.event {
                    self.resolutions.push(Resolution::NewRound {
                        after_round: self.round,
                        at,
                        by,
                    });
                }
                self.phase = Phase::Positioning;
                self.round = *round;
                self.answers.clear();
            }
            Event::AnswerGiven {
                participant,
                answer,
                ..
            } => {
                let organisation = self.participant(*participant).and_then(|p| p.organisation);
                if let Some(organisation) = organisation {
                    self.answers
                        .entry(*participant)
                        .or_insert_with(|| Position::empty(*participant, organisation))
                        .record(answer);
                }
            }
            Event::Revealed {
                round,
                forced,
                automatic,
                missing,
                positions,
                report,
            } => {
                self.phase = Phase::Alignment;
                self.rounds.push(RevealedRound {
                    round: *round,
                    at,
                    by,
                    forced: *forced,
                    automatic: *automatic,
                    missing: missing.clone(),
                    positions: positions.clone(),
                    report: report.clone(),
                });
                self.answers.clear();
            }
            Event::FormDecided {
                form,
                rationale,
                dissenting,
            } => self.resolutions.push(Resolution::Decided {
                round: self.round,
                form: *form,
                rationale: rationale.clone(),
                dissenting: dissenting.clone(),
                at,
                by,
            }),
            Event::SplitIntoTracks { tracks, rationale } => {
                self.resolutions.push(Resolution::Split {
                    round: self.round,
                    tracks: tracks.clone(),
                    rationale: rationale.clone(),
                    at,
                    by,
                })
            }
            Event::PhaseChanged { phase, tracks } => {
                self.phase = *phase;
                match phase {
                    Phase::Design if !tracks.is_empty() => {
                        self.tracks = tracks
                            .iter()
                            .map(|t| {
                                let mut track = Track::new(
                                    t.name.as_str().to_owned(),
                                    t.form,
                                    t.organisations.clone(),
                                );
                                // A follow-up starts from what its baseline agreed.
                                if let Some(b) = &self.baseline {
                                    track.carried = b
                                        .track_for(&track.name, track.form)
                                        .map(|bt| bt.aspects.clone())
                                        .unwrap_or_default();
                                }
                                track
                            })
                            .collect();
                    }
                    // Into review, or back from it: approvals are of one draft only.
                    Phase::Review | Phase::Design | Phase::Diagnosis => self.approvals.clear(),
                    _ => {}
                }
            }
            Event::AspectResponded {
                participant,
                track,
                aspect,
                response,
                ..
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect)
                        .responses
                        .insert(*participant, response.clone());
                }
            }
            Event::AspectsRevealed { track, reveals } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    for reveal in reveals {
                        let a = t.aspect_mut(reveal.aspect);
                        a.reveals.push(reveal.clone());
                        a.responses.clear();
                        a.status = AspectStatus::Revealed;
                    }
                }
            }
            // Negotiating an aspect: state/negotiation.rs.
            Event::RoundCalled { .. }
            | Event::RoundAnswered { .. }
            | Event::RoundClosed { .. }
            | Event::RoundOverridden { .. }
            | Event::ProposalMade { .. }
            | Event::ProposalTagged { .. }
            | Event::FormRoundCalled { .. }
            | Event::FormRoundAnswered { .. }
            | Event::FormRoundClosed { .. }
            | Event::FormRoundOverridden { .. } => self.apply_negotiation(&recorded.event, at, by),
            Event::AspectAgreed {
                track,
                aspect,
                text,
                matches,
                dissenting,
                resembles,
                consent_round,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    let a = t.aspect_mut(*aspect);
                    a.status = AspectStatus::Agreed;
                    // Agreed is no longer an open item: nobody owes it any more.
                    a.owner = None;
                    a.due = None;
                    a.agreement = Some(Agreement {
                        text: text.clone(),
                        matches: *matches,
                        dissenting: dissenting.clone(),
                        resembles: *resembles,
                        consent_round: *consent_round,
                        at,
                        by,
                    });
                }
            }
            Event::AspectReopened { track, aspect, .. } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).reopen();
                }
            }
            Event::AspectParked {
                track,
                aspect,
                reason,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    let a = t.aspect_mut(*aspect);
                    a.status = AspectStatus::Parked;
                    a.parked = Some(reason.clone());
                    a.agreement = None;
                    a.responses.clear();
                }
            }
            Event::OpenItemAssigned {
                track,
                aspect,
                owner,
                due,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    let a = t.aspect_mut(*aspect);
                    a.owner = *owner;
                    a.due = *due;
                }
            }
            Event::FocusChanged { step } => self.focus = *step,
            Event::TimerStarted { seconds, label } => {
                self.timer = Some(Timer {
                    label: label.clone(),
                    seconds: *seconds,
                    started_at: at,
                    ends_at: at + chrono::Duration::seconds(i64::from(*seconds)),
                    ended: false,
                })
            }
            Event::TimerStopped => self.timer = None,
            Event::TimerEnded => {
                if let Some(t) = &mut self.timer {
                    t.ended = true;
                }
            }
            Event::AnswerWithdrawn {
                participant, axis, ..
            } => {
                if let Some(position) = self.answers.get_mut(participant) {
                    position.withdraw(*axis);
                    if position.intent.is_none() && position.nature.is_none() {
                        self.answers.remove(participant);
                    }
                }
            }
            Event::ResponseWithdrawn {
                participant,
                track,
                aspect,
                ..
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).responses.remove(participant);
                }
            }
            // Links and keys live in the store; the log only says who changed them, when.
            Event::LinkReissued { .. }
            | Event::FacilitatorKeyReplaced
            | Event::FacilitatorKeyRevoked => {}
            Event::OrganisationRenamed { organisation, name } => {
                if let Some(o) = self
                    .organisations
                    .iter_mut()
                    .find(|o| o.id == *organisation)
                {
                    o.name = name.clone();
                    o.key = name_key(name);
                }
            }
            Event::OrganisationsMerged { from, into } => {
                if let Some(o) = self.organisations.iter_mut().find(|o| o.id == *from) {
                    o.merged_into = Some(*into);
                }
                for p in &mut self.participants {
                    if p.organisation == Some(*from) {
                        p.organisation = Some(*into);
                    }
                }
                for position in self.answers.values_mut() {
                    if position.organisation == *from {
                        position.organisation = *into;
                    }
                }
                self.approvals.retain(|a| a.organisation != *from);
                // Its answers in open rounds leave: its people answer again for the one it joined.
                let merged = *from;
                self.drop_answers(|o, _| o == merged);
                // Tracks that named the merged organisation now name the one it joined.
                for t in &mut self.tracks {
                    if let Some(i) = t.organisations.iter().position(|o| o == from) {
                        t.organisations.remove(i);
                        if !t.organisations.contains(into) {
                            t.organisations.insert(i, *into);
                        }
                    }
                }
            }
            Event::ParticipantRemoved { participant } => {
                if let Some(p) = self.participants.iter_mut().find(|p| p.id == *participant) {
                    p.removed = true;
                }
                // Unrevealed answers leave with their author; revealed ones stay in history.
                self.answers.remove(participant);
                for t in &mut self.tracks {
                    for a in &mut t.aspects {
                        a.responses.remove(participant);
                    }
                }
                // So does an open round's answer.
                let gone = *participant;
                self.drop_answers(|_, p| p == gone);
                for a in self.diagnosis.iter_mut().flat_map(|d| &mut d.aspects) {
                    a.placements.remove(participant);
                }
            }
            Event::NoteAdded { about, phase, text } => self.notes.push(Note {
                about: *about,
                phase: *phase,
                text: text.clone(),
                at,
                by,
            }),
            Event::Approved {
                organisation,
                tracks,
            } => {
                // None named: every track it takes part in, as approvals meant before tracks
                // could be named.
                let tracks = if tracks.is_empty() {
                    self.tracks_of(*organisation)
                } else {
                    tracks.clone()
                };
                self.approvals.push(Approval {
                    organisation: *organisation,
                    tracks,
                    at,
                    by,
                })
            }
            Event::ObjectionRaised {
                organisation,
                reason,
                aspects,
            } => {
                self.objections.push(Objection {
                    organisation: *organisation,
                    reason: reason.clone(),
                    aspects: aspects.clone(),
                    at,
                    by,
                });
                self.approvals.retain(|a| a.organisation != *organisation);
                if !aspects.is_empty() {
                    for r in aspects {
                        if let Some(t) = self.tracks.get_mut(r.track) {
                            let a = t.aspect_mut(r.aspect);
                            // An aspect that is open already keeps its round and responses.
                            if a.status != AspectStatus::Open {
                                a.reopen();
                            }
                        }
                    }
                    // The design changes, so earlier approvals no longer hold.
                    self.phase = self.work_phase();
                    self.approvals.clear();
                }
            }
            Event::BoardLinkCreated { observer, label } => self.observers.push(Observer {
                id: *observer,
                label: label.clone(),
                created_at: at,
                revoked: false,
            }),
            Event::BoardLinkRevoked { observer } => {
                if let Some(o) = self.observers.iter_mut().find(|o| o.id == *observer) {
                    o.revoked = true;
                }
            }
            // A preview changes nothing: the log keeps only that it was looked at.
            Event::RevealPreviewed { .. } | Event::AspectsPreviewed { .. } => {}
            Event::RationaleGiven {
                participant,
                about,
                text,
            } => {
                let organisation = self.participant(*participant).and_then(|p| p.organisation);
                self.rationales.push(Rationale {
                    participant: *participant,
                    organisation,
                    about: *about,
                    text: text.clone(),
                    at,
                });
            }
            Event::SessionClosed {
                forced,
                not_approved,
                ..
            } => {
                self.phase = Phase::Closed;
                // The code is for joining an open session; another session may have it now.
                self.join_code = None;
                self.timer = None;
                self.closure = Some(Closure {
                    forced: *forced,
                    not_approved: not_approved.clone(),
                    at,
                    by,
                });
            }
            Event::AspectPlaced {
                participant,
                aspect,
                placing,
                ..
            } => {
                if let Some(d) = &mut self.diagnosis {
                    d.aspect_mut(*aspect)
                        .placements
                        .insert(*participant, placing.clone());
                }
            }
            Event::PlacementWithdrawn {
                participant,
                aspect,
                ..
            } => {
                if let Some(d) = &mut self.diagnosis {
                    d.aspect_mut(*aspect).placements.remove(participant);
                }
            }
            Event::PlacementsRevealed { reveals } => {
                if let Some(d) = &mut self.diagnosis {
                    for reveal in reveals {
                        let a = d.aspect_mut(reveal.aspect);
                        a.reveals.push(reveal.clone());
                        a.placements.clear();
                        a.status = PlacementStatus::Revealed;
                    }
                }
            }
            Event::PlacementTagged {
                aspect,
                round,
                participant,
                form,
            } => {
                let reveal = self.diagnosis.as_mut().and_then(|d| {
                    d.aspect_mut(*aspect)
                        .reveals
                        .iter_mut()
                        .rfind(|r| r.round == *round)
                });
                if let Some(p) = reveal.and_then(|r| {
                    r.placements
                        .iter_mut()
                        .find(|p| p.participant == *participant)
                }) {
                    p.tag = *form;
                }
            }
            Event::PlacementReopened { aspect, round } => {
                if let Some(d) = &mut self.diagnosis {
                    let a = d.aspect_mut(*aspect);
                    a.status = PlacementStatus::Open;
                    a.round = *round;
                    a.placements.clear();
                }
            }
            Event::FindingRecorded { aspect, text } => {
                if let Some(d) = &mut self.diagnosis {
                    d.aspect_mut(*aspect).finding = text.clone();
                }
            }
            Event::ActionSet { aspect, action } => {
                if let Some(d) = &mut self.diagnosis {
                    let a = d.aspect_mut(*aspect);
                    match a.actions.iter_mut().find(|x| x.id == action.id) {
                        Some(existing) => *existing = action.clone(),
                        None => a.actions.push(action.clone()),
                    }
                    a.next_action = a.next_action.max(action.id + 1);
                }
            }
            Event::ActionRemoved { aspect, action } => {
                if let Some(d) = &mut self.diagnosis {
                    d.aspect_mut(*aspect).actions.retain(|x| x.id != *action);
                }
            }
        }
    }
}
