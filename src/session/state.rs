//! The state of one session: the fold of its events. `apply` never fails: every event in the
//! log was checked by `decide` before it was stored.

use super::alignment::AlignmentReport;
use super::command::{AxisAnswer, Step, TrackSpec};
use super::design::Track;
use super::event::{Event, Recorded};
use super::ids::{OrgId, ParticipantId};
use super::input::{FreeText, Strength};
use super::moderation::{Approval, Closure, Note, Objection, Timer};
use crate::model::{Form, Intent, Lang, Nature, classify};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The phases of a session, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// People join.
    #[default]
    Lobby,
    /// Blind answers to the two positioning questions.
    Positioning,
    /// The answers are revealed; disagreements are resolved here.
    Alignment,
    /// The 13 design questions, per track.
    Design,
    /// The draft record is reviewed and approved.
    Review,
    /// Frozen.
    Closed,
}

impl Phase {
    /// The phase's name in the protocol.
    pub fn id(self) -> &'static str {
        match self {
            Phase::Lobby => "lobby",
            Phase::Positioning => "positioning",
            Phase::Alignment => "alignment",
            Phase::Design => "design",
            Phase::Review => "review",
            Phase::Closed => "closed",
        }
    }
}

/// What a person may do in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the session.
    Facilitator,
    /// Speaks for one partner organisation.
    Representative,
}

/// Settings the facilitator can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Reveal by itself as soon as every representative has answered both questions.
    pub auto_reveal: bool,
    /// Whether a joining person may add an organisation that is not on the list yet.
    pub new_organisations_allowed: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_reveal: false,
            new_organisations_allowed: true,
        }
    }
}

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// Its id.
    pub id: OrgId,
    /// Its name.
    pub name: String,
    /// The organisation it was merged into, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<OrgId>,
}

/// A person in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// Their id.
    pub id: ParticipantId,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The organisation they represent; none for a facilitator.
    pub organisation: Option<OrgId>,
    /// Removed by a facilitator: no longer in the session, still in its history.
    pub removed: bool,
}

/// One answer on an axis, as stored in a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoleAnswer<P> {
    /// The pole chosen.
    pub pole: P,
    /// How sure, 1–3.
    pub strength: Strength,
    /// Why, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motivation: Option<FreeText>,
}

/// A representative's answers in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Who.
    pub participant: ParticipantId,
    /// For which organisation.
    pub organisation: OrgId,
    /// Improve or innovate, if answered.
    pub intent: Option<PoleAnswer<Intent>>,
    /// Exchange or share, if answered.
    pub nature: Option<PoleAnswer<Nature>>,
}

impl Position {
    /// The basic form these answers place the representative in; none until both are answered.
    pub fn form(&self) -> Option<Form> {
        Some(classify(
            self.intent.as_ref()?.pole,
            self.nature.as_ref()?.pole,
        ))
    }

    /// Whether both questions are answered.
    pub fn complete(&self) -> bool {
        self.intent.is_some() && self.nature.is_some()
    }

    /// A position with no answer yet.
    pub fn empty(participant: ParticipantId, organisation: OrgId) -> Position {
        Position {
            participant,
            organisation,
            intent: None,
            nature: None,
        }
    }

    /// Records (or replaces) the answer on one axis.
    pub fn record(&mut self, answer: &AxisAnswer) {
        match answer.clone() {
            AxisAnswer::Intent {
                pole,
                strength,
                motivation,
            } => {
                self.intent = Some(PoleAnswer {
                    pole,
                    strength,
                    motivation,
                })
            }
            AxisAnswer::Nature {
                pole,
                strength,
                motivation,
            } => {
                self.nature = Some(PoleAnswer {
                    pole,
                    strength,
                    motivation,
                })
            }
        }
    }
}

/// A round whose answers were revealed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevealedRound {
    /// Its number.
    pub round: u32,
    /// When it was revealed.
    pub at: DateTime<Utc>,
    /// Whose command revealed it (for an automatic reveal, the command that completed it).
    pub by: Option<ParticipantId>,
    /// Revealed before everyone answered.
    pub forced: bool,
    /// Revealed by the server itself.
    pub automatic: bool,
    /// Who had not answered both questions.
    pub missing: Vec<ParticipantId>,
    /// The answers.
    pub positions: Vec<Position>,
    /// The analysis shown at the reveal.
    pub report: AlignmentReport,
}

/// How a disagreement in alignment was resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    /// Answers reopened for another round.
    NewRound {
        /// The round that was not agreed.
        after_round: u32,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Option<ParticipantId>,
    },
    /// One form chosen.
    Decided {
        /// In which round's alignment.
        round: u32,
        /// The form.
        form: Form,
        /// Why.
        rationale: String,
        /// Organisations whose position differed.
        dissenting: Vec<OrgId>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Option<ParticipantId>,
    },
    /// Split into tracks.
    Split {
        /// In which round's alignment.
        round: u32,
        /// The tracks.
        tracks: Vec<TrackSpec>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Option<ParticipantId>,
    },
}

/// Everything the core knows about one session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// Whether the session exists (its first event was applied).
    pub created: bool,
    /// Title.
    pub title: String,
    /// Language of the model texts and the record.
    pub language: Lang,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// Settings.
    pub settings: Settings,
    /// Current phase.
    pub phase: Phase,
    /// Organisations, in the order they were added.
    pub organisations: Vec<Organisation>,
    /// People, in the order they joined.
    pub participants: Vec<Participant>,
    /// The current (or last) positioning round; 0 before positioning started.
    pub round: u32,
    /// The current round's answers, secret until the reveal.
    pub answers: BTreeMap<ParticipantId, Position>,
    /// Every revealed round, oldest first.
    pub rounds: Vec<RevealedRound>,
    /// Every resolution, oldest first.
    pub resolutions: Vec<Resolution>,
    /// The tracks being designed, once design started.
    pub tracks: Vec<Track>,
    /// The step everyone is pointed at.
    pub focus: Option<Step>,
    /// The running timer.
    pub timer: Option<Timer>,
    /// Facilitator notes, oldest first.
    pub notes: Vec<Note>,
    /// Approvals in the current review.
    pub approvals: Vec<Approval>,
    /// Every objection, oldest first.
    pub objections: Vec<Objection>,
    /// How the session was closed, once closed.
    pub closure: Option<Closure>,
    /// The sequence number of the last applied event.
    pub last_seq: u64,
}

impl State {
    /// Folds a log into a state.
    pub fn from_log<'a>(events: impl IntoIterator<Item = &'a Recorded>) -> State {
        let mut state = State::default();
        for e in events {
            state.apply(e);
        }
        state
    }

    /// Looks up a participant, removed or not (the history needs their names).
    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// Looks up a participant who is still in the session.
    pub fn active_participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participant(id).filter(|p| !p.removed)
    }

    /// Organisations that are still on the list (not merged away).
    pub fn active_organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations
            .iter()
            .filter(|o| o.merged_into.is_none())
    }

    /// Organisations expected to approve the record: those on the list with a representative.
    pub fn approving_organisations(&self) -> Vec<OrgId> {
        self.active_organisations()
            .filter(|o| self.representatives().any(|p| p.organisation == Some(o.id)))
            .map(|o| o.id)
            .collect()
    }

    /// Looks up an organisation.
    pub fn organisation(&self, id: OrgId) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    /// The representatives still in the session, in join order.
    pub fn representatives(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|p| p.role == Role::Representative && !p.removed)
    }

    /// Representatives who have not answered both questions in the current round.
    pub fn missing_answers(&self) -> Vec<ParticipantId> {
        self.representatives()
            .filter(|p| !self.answers.get(&p.id).is_some_and(Position::complete))
            .map(|p| p.id)
            .collect()
    }

    /// The revealed round the session is aligning on, if in alignment.
    pub fn current_reveal(&self) -> Option<&RevealedRound> {
        self.rounds.last().filter(|r| r.round == self.round)
    }

    /// The resolution taken in the current round's alignment, if any (a decision or a split).
    pub fn current_resolution(&self) -> Option<&Resolution> {
        self.resolutions.last().filter(|r| match r {
            Resolution::Decided { round, .. } | Resolution::Split { round, .. } => {
                *round == self.round
            }
            Resolution::NewRound { .. } => false,
        })
    }

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
            } => {
                self.created = true;
                self.title = title.clone();
                self.language = *language;
                self.created_at = Some(at);
                self.settings = *settings;
                self.participants.push(Participant {
                    id: *facilitator,
                    name: facilitator_name.clone(),
                    role: Role::Facilitator,
                    organisation: None,
                    removed: false,
                });
            }
            Event::OrganisationAdded { organisation, name } => {
                self.organisations.push(Organisation {
                    id: *organisation,
                    name: name.clone(),
                    merged_into: None,
                })
            }
            Event::ParticipantJoined {
                participant,
                name,
                role,
                organisation,
            } => self.participants.push(Participant {
                id: *participant,
                name: name.clone(),
                role: *role,
                organisation: *organisation,
                removed: false,
            }),
            Event::SettingsChanged { settings } => self.settings = *settings,
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
            Event::SplitIntoTracks { tracks } => self.resolutions.push(Resolution::Split {
                round: self.round,
                tracks: tracks.clone(),
                at,
                by,
            }),
            Event::PhaseChanged { phase, tracks } => {
                self.phase = *phase;
                match phase {
                    Phase::Design if !tracks.is_empty() => {
                        self.tracks = tracks
                            .iter()
                            .map(|t| {
                                Track::new(
                                    t.name.as_str().to_owned(),
                                    t.form,
                                    t.organisations.clone(),
                                )
                            })
                            .collect();
                    }
                    Phase::Review => self.approvals.clear(),
                    _ => {}
                }
            }
            _ => self.apply_design_and_moderation(recorded),
        }
    }
}
