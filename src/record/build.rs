//! Builds the record from a session's log: fold the log, then describe the state in words of
//! the session's language. Nothing but the log goes in, so a log always gives the same record.

use super::*;
use crate::model::{Lang, form_difference};
use crate::session::{
    AspectStatus, Choice, OrgId, Owner, ParticipantId, Phase, Placed, Recorded, Resolution, Role,
    SessionId, State, Step, Subject,
};

/// The record of the session whose log this is; `None` for an empty log.
pub fn build(session: SessionId, log: &[Recorded]) -> Option<Record> {
    let state = State::from_log(log);
    if !state.created {
        return None;
    }
    let n = Names { state: &state };
    let lang = state.language;
    let mut record = Record {
        schema: SCHEMA.to_owned(),
        status: if state.phase == Phase::Closed {
            RecordStatus::Final
        } else {
            RecordStatus::Draft
        },
        session_id: session.to_string(),
        title: state.title.clone(),
        language: lang,
        created_at: state.created_at?,
        closed_at: state.closure.as_ref().map(|c| c.at),
        time_zone: state.time_zone.clone().unwrap_or_else(|| "UTC".to_owned()),
        joint_goal: state.joint_goal.clone(),
        last_seq: state.last_seq,
        facilitators: state
            .participants
            .iter()
            .filter(|p| p.role == Role::Facilitator)
            .map(|p| Person {
                id: p.id.to_string(),
                name: p.name.clone(),
                removed: p.removed,
            })
            .collect(),
        organisations: state
            .organisations
            .iter()
            .map(|o| OrganisationEntry {
                id: o.id.to_string(),
                name: o.name.clone(),
                merged_into: o.merged_into.map(|m| n.org(m)),
                advisor: o.advisor,
                goal: o.goal.clone(),
                representatives: state
                    .participants
                    .iter()
                    .filter(|p| p.organisation == Some(o.id))
                    .map(|p| Person {
                        id: p.id.to_string(),
                        name: p.name.clone(),
                        removed: p.removed,
                    })
                    .collect(),
            })
            .collect(),
        rounds: rounds(&state, &n),
        resolutions: state
            .resolutions
            .iter()
            .map(|r| resolution(r, &n))
            .collect(),
        tracks: tracks(&state, &n),
        approvals: state
            .approvals
            .iter()
            .map(|a| ApprovalEntry {
                organisation: n.org(a.organisation),
                tracks: a.tracks.iter().map(|t| n.track(*t)).collect(),
                at: a.at,
                by: a.by.map(|p| n.person(p)),
            })
            .collect(),
        objections: state
            .objections
            .iter()
            .map(|o| ObjectionEntry {
                organisation: n.org(o.organisation),
                reason: o.reason.clone(),
                aspects: o
                    .aspects
                    .iter()
                    .map(|r| n.aspect_ref(r.track, r.aspect, lang))
                    .collect(),
                at: o.at,
                by: o.by.map(|p| n.person(p)),
            })
            .collect(),
        closure: state.closure.as_ref().map(|c| ClosureEntry {
            at: c.at,
            by: c.by.map(|p| n.person(p)),
            forced: c.forced,
            not_approved: c.not_approved.iter().map(|o| n.org(*o)).collect(),
        }),
        notes: state
            .notes
            .iter()
            .map(|note| NoteEntry {
                at: note.at,
                by: note.by.map(|p| n.person(p)),
                phase: note.phase.id().to_owned(),
                about: n.step(&note.about, lang),
                text: note.text.clone(),
            })
            .collect(),
        diagnosis: diagnosis(&state, &n),
        follow_up: super::followup::follow_up(&state, session.to_string(), |o| n.org(o)),
        content_hash: String::new(),
    };
    record.content_hash = content_hash(&record);
    Some(record)
}

/// What a diagnosis session found, from the same analysis its board shows.
fn diagnosis(state: &State, n: &Names) -> Option<DiagnosisEntry> {
    let d = state.diagnosis.as_ref()?;
    let analysis = crate::session::findings::analyse(state)?;
    let lang = state.language;
    let overall = &analysis.overall;
    let aspects = d
        .aspects
        .iter()
        .zip(&overall.profile)
        .map(|(a, row)| DiagnosisAspectEntry {
            aspect: a.aspect,
            cluster: a.aspect.cluster(),
            label: a.aspect.label().get(lang).to_owned(),
            question: a.aspect.question().get(lang).to_owned(),
            counts: row.counts,
            form: row.form,
            placements: a
                .last_reveal()
                .map(|r| {
                    r.placements
                        .iter()
                        .map(|p| {
                            let (placed, form, text) = match &p.placing.placed {
                                Placed::Form { form } => (
                                    "form",
                                    Some(*form),
                                    Some(a.aspect.principle(*form).get(lang).to_owned()),
                                ),
                                Placed::None => ("none", None, None),
                                Placed::Own { text } => {
                                    ("own", p.tag, Some(text.as_str().to_owned()))
                                }
                            };
                            PlacementEntry {
                                participant: n.person(p.participant),
                                organisation: n.org(p.organisation),
                                placed: placed.to_owned(),
                                form,
                                text,
                                example: p.placing.example.as_ref().map(|e| e.as_str().to_owned()),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default(),
            finding: a.finding.clone(),
            actions: a
                .actions
                .iter()
                .map(|x| ActionEntry {
                    id: x.id,
                    text: x.text.clone(),
                    owner: x.owner.map(|o| n.owner(o)),
                    due: x.due,
                })
                .collect(),
        })
        .collect();
    Some(DiagnosisEntry {
        subject: match d.subject {
            Subject::Practice => "practice",
            Subject::Plan => "plan",
        }
        .to_owned(),
        intended: analysis.intended,
        dominant: overall.dominant,
        reference: overall.reference,
        mixing: overall.mixing.iter().map(|m| m.aspect).collect(),
        gaps: overall.gaps.clone(),
        differing: overall.differing.clone(),
        not_diagnosed: Aspect::ALL
            .iter()
            .copied()
            .filter(|a| !analysis.revealed.contains(a))
            .collect(),
        aspects,
        organisations: analysis
            .organisations
            .iter()
            .map(|o| OrgProfileEntry {
                organisation: n.org(o.organisation),
                advisor: o.advisor,
                intended: o.intended,
                dominant: o.summary.dominant,
                forms: o.summary.profile.iter().map(|r| r.form).collect(),
                mixing: o.summary.mixing.iter().map(|m| m.aspect).collect(),
            })
            .collect(),
    })
}

/// Names of people, organisations and steps as the record shows them.
struct Names<'a> {
    state: &'a State,
}

impl Names<'_> {
    fn person(&self, id: ParticipantId) -> String {
        self.state
            .participant(id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    }

    fn org(&self, id: OrgId) -> String {
        self.state
            .organisation(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    }

    /// An owner as the record names them: the organisation, or the person with theirs.
    fn owner(&self, owner: Owner) -> String {
        match owner {
            Owner::Organisation(o) => self.org(o),
            Owner::Participant(p) => match self.state.participant(p).and_then(|x| x.organisation) {
                Some(o) => format!("{} ({})", self.person(p), self.org(o)),
                None => self.person(p),
            },
        }
    }

    fn orgs(&self, ids: &[OrgId]) -> Vec<String> {
        ids.iter().map(|o| self.org(*o)).collect()
    }

    fn track(&self, index: usize) -> String {
        self.state
            .tracks
            .get(index)
            .map_or_else(|| format!("#{index}"), |t| t.name.clone())
    }

    fn aspect_ref(&self, track: usize, aspect: Aspect, lang: Lang) -> String {
        // A diagnosis has no tracks: its aspects are named alone.
        if self.state.tracks.is_empty() {
            return aspect.label().get(lang).to_owned();
        }
        format!("{}: {}", self.track(track), aspect.label().get(lang))
    }

    fn step(&self, step: &Step, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(t) = step.track {
            parts.push(self.track(t));
        }
        if let Some(c) = step.cluster {
            parts.push(c.label().get(lang).to_owned());
        }
        if let Some(a) = step.aspect {
            parts.push(a.label().get(lang).to_owned());
        }
        if parts.is_empty() {
            match lang {
                Lang::En => "the session",
                Lang::Nl => "de sessie",
            }
            .to_owned()
        } else {
            parts.join(" › ")
        }
    }
}

fn rounds(state: &State, n: &Names) -> Vec<RoundEntry> {
    let lang = state.language;
    state
        .rounds
        .iter()
        .map(|r| RoundEntry {
            round: r.round,
            revealed_at: r.at,
            forced: r.forced,
            automatic: r.automatic,
            missing: r.missing.iter().map(|p| n.person(*p)).collect(),
            positions: r
                .positions
                .iter()
                .map(|p| PositionEntry {
                    participant: n.person(p.participant),
                    organisation: n.org(p.organisation),
                    intent: p.intent.as_ref().map(|a| AxisEntry {
                        pole: a.pole.id().to_owned(),
                        label: a.pole.label().get(lang).to_owned(),
                        strength: a.strength.get(),
                        motivation: a.motivation.as_ref().map(|m| m.as_str().to_owned()),
                    }),
                    nature: p.nature.as_ref().map(|a| AxisEntry {
                        pole: a.pole.id().to_owned(),
                        label: a.pole.label().get(lang).to_owned(),
                        strength: a.strength.get(),
                        motivation: a.motivation.as_ref().map(|m| m.as_str().to_owned()),
                    }),
                    form: p.form(),
                })
                .collect(),
            standings: r
                .report
                .organisations
                .iter()
                .filter(|s| !s.forms.is_empty())
                .map(|s| StandingEntry {
                    organisation: n.org(s.organisation),
                    form: s.form,
                    split: s.split,
                })
                .collect(),
            axes_in_dispute: r
                .report
                .axes
                .iter()
                .filter(|a| a.disagreement)
                .map(|a| a.axis.label().get(lang).to_owned())
                .collect(),
            disagreements: r
                .report
                .form_pairs
                .iter()
                .map(|p| DisagreementEntry {
                    a: p.a,
                    a_organisations: n.orgs(&p.a_organisations),
                    b: p.b,
                    b_organisations: n.orgs(&p.b_organisations),
                    explanation: form_difference(p.a, p.b)
                        .map(|e| e.text.get(lang).to_owned())
                        .unwrap_or_default(),
                })
                .collect(),
            agreed: r.report.agreed,
        })
        .collect()
}

fn resolution(r: &Resolution, n: &Names) -> ResolutionEntry {
    let mut entry = ResolutionEntry {
        kind: String::new(),
        round: 0,
        at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        by: None,
        form: None,
        rationale: None,
        dissenting: Vec::new(),
        tracks: Vec::new(),
    };
    match r {
        Resolution::NewRound {
            after_round,
            at,
            by,
        } => {
            entry.kind = "new_round".into();
            entry.round = *after_round;
            entry.at = *at;
            entry.by = by.map(|p| n.person(p));
        }
        Resolution::Decided {
            round,
            form,
            rationale,
            dissenting,
            at,
            by,
        } => {
            entry.kind = "decided".into();
            entry.round = *round;
            entry.at = *at;
            entry.by = by.map(|p| n.person(p));
            entry.form = Some(*form);
            entry.rationale = Some(rationale.clone());
            entry.dissenting = n.orgs(dissenting);
        }
        Resolution::Split {
            round,
            tracks,
            rationale,
            at,
            by,
        } => {
            entry.kind = "split".into();
            entry.rationale = (!rationale.is_empty()).then(|| rationale.clone());
            entry.round = *round;
            entry.at = *at;
            entry.by = by.map(|p| n.person(p));
            entry.tracks = tracks
                .iter()
                .map(|t| format!("{} ({})", t.name, t.form.label().get(n.state.language)))
                .collect();
        }
    }
    entry
}

fn tracks(state: &State, n: &Names) -> Vec<TrackEntry> {
    let lang = state.language;
    state
        .tracks
        .iter()
        .map(|t| {
            let organisations = if t.organisations.is_empty() {
                state
                    .active_organisations()
                    .map(|o| o.name.clone())
                    .collect()
            } else {
                n.orgs(&t.organisations)
            };
            let aspects: Vec<AspectEntry> = t
                .aspects
                .iter()
                .map(|a| {
                    let agreement = a.agreement.as_ref();
                    AspectEntry {
                        aspect: a.aspect,
                        cluster: a.aspect.cluster(),
                        label: a.aspect.label().get(lang).to_owned(),
                        question: a.aspect.question().get(lang).to_owned(),
                        proposal: a.aspect.principle(t.form).get(lang).to_owned(),
                        status: match a.status {
                            AspectStatus::Open => "open",
                            AspectStatus::Revealed => "revealed",
                            AspectStatus::Agreed => "agreed",
                            AspectStatus::Parked => "parked",
                        }
                        .to_owned(),
                        agreed_text: agreement.map(|g| g.text.clone()),
                        matches: agreement.and_then(|g| g.matches),
                        resembles: agreement.and_then(|g| g.resembles),
                        mixing_warning: agreement.is_some_and(|g| g.mixes(t.form)),
                        dissenting: agreement.map(|g| n.orgs(&g.dissenting)).unwrap_or_default(),
                        parked_reason: a.parked.clone(),
                        owner: a.owner.map(|o| n.owner(o)),
                        due: a.due,
                        rounds: a
                            .reveals
                            .iter()
                            .map(|r| AspectRoundEntry {
                                round: r.round,
                                disagreement: r.disagreement,
                                responses: r
                                    .responses
                                    .iter()
                                    .map(|x| ResponseEntry {
                                        participant: n.person(x.participant),
                                        organisation: n.org(x.organisation),
                                        choice: match x.response.choice {
                                            Choice::Accept => "accept",
                                            Choice::OtherForm { .. } => "other_form",
                                            Choice::Own { .. } => "own",
                                            Choice::NoLonger => "no_longer",
                                        }
                                        .to_owned(),
                                        text: x.text.clone(),
                                        form: x.form,
                                        comment: x
                                            .response
                                            .comment
                                            .as_ref()
                                            .map(|c| c.as_str().to_owned()),
                                    })
                                    .collect(),
                                mixing: r
                                    .mixing
                                    .iter()
                                    .map(|m| MixingEntry {
                                        organisation: n.org(m.organisation),
                                        participant: n.person(m.participant),
                                        track_form: m.track_form,
                                        chosen_form: m.chosen_form,
                                    })
                                    .collect(),
                            })
                            .collect(),
                    }
                })
                .collect();
            TrackEntry {
                name: t.name.clone(),
                form: t.form,
                organisations,
                open: t
                    .aspects
                    .iter()
                    .filter(|a| matches!(a.status, AspectStatus::Open | AspectStatus::Revealed))
                    .map(|a| a.aspect)
                    .collect(),
                parked: t
                    .aspects
                    .iter()
                    .filter(|a| a.status == AspectStatus::Parked)
                    .map(|a| a.aspect)
                    .collect(),
                aspects,
            }
        })
        .collect()
}
