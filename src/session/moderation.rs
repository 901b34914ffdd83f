//! The facilitator's board and the review: the timer, notes, approvals, objections and the
//! closing, and how the design, moderation and review events change the state.

use super::command::{AspectRef, Step};
use super::design::{Agreement, AspectStatus};
use super::event::{Event, Recorded};
use super::ids::{OrgId, ParticipantId};
use super::state::{Phase, State};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The timer everyone sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timer {
    /// What it is for.
    pub label: Option<String>,
    /// Its length.
    pub seconds: u32,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
}

/// A facilitator's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The step it is about.
    pub about: Step,
    /// The phase the session was in.
    pub phase: Phase,
    /// The note.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: Option<ParticipantId>,
}

/// An organisation's approval of the draft record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    /// Which organisation.
    pub organisation: OrgId,
    /// When.
    pub at: DateTime<Utc>,
    /// Which of its representatives.
    pub by: Option<ParticipantId>,
}

/// An organisation's objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objection {
    /// Which organisation.
    pub organisation: OrgId,
    /// Why.
    pub reason: String,
    /// The aspects it reopened.
    pub aspects: Vec<AspectRef>,
    /// When.
    pub at: DateTime<Utc>,
    /// Which of its representatives.
    pub by: Option<ParticipantId>,
}

/// How the session was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closure {
    /// Closed without every organisation's approval.
    pub forced: bool,
    /// Organisations that had not approved.
    pub not_approved: Vec<OrgId>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: Option<ParticipantId>,
}

impl State {
    /// The events of the design phase, moderation and review.
    pub(super) fn apply_design_and_moderation(&mut self, recorded: &Recorded) {
        let (at, by) = (recorded.at, recorded.by);
        match &recorded.event {
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
            Event::AspectAgreed {
                track,
                aspect,
                text,
                matches,
                dissenting,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    let a = t.aspect_mut(*aspect);
                    a.status = AspectStatus::Agreed;
                    a.agreement = Some(Agreement {
                        text: text.clone(),
                        matches: *matches,
                        dissenting: dissenting.clone(),
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
            Event::FocusChanged { step } => self.focus = *step,
            Event::TimerStarted { seconds, label } => {
                self.timer = Some(Timer {
                    label: label.clone(),
                    seconds: *seconds,
                    started_at: at,
                    ends_at: at + chrono::Duration::seconds(i64::from(*seconds)),
                })
            }
            Event::TimerStopped => self.timer = None,
            Event::OrganisationRenamed { organisation, name } => {
                if let Some(o) = self
                    .organisations
                    .iter_mut()
                    .find(|o| o.id == *organisation)
                {
                    o.name = name.clone();
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
            }
            Event::NoteAdded { about, phase, text } => self.notes.push(Note {
                about: *about,
                phase: *phase,
                text: text.clone(),
                at,
                by,
            }),
            Event::Approved { organisation } => self.approvals.push(Approval {
                organisation: *organisation,
                at,
                by,
            }),
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
                    self.phase = Phase::Design;
                    self.approvals.clear();
                }
            }
            Event::SessionClosed {
                forced,
                not_approved,
                ..
            } => {
                self.phase = Phase::Closed;
                self.timer = None;
                self.closure = Some(Closure {
                    forced: *forced,
                    not_approved: not_approved.clone(),
                    at,
                    by,
                });
            }
            // The positioning events are applied in `apply`.
            _ => {}
        }
    }
}
