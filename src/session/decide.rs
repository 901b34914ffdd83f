//! `decide`: a command, checked against the current state, becomes the events it causes — or a
//! rejection, and then nothing changes. No I/O and no clock: the caller stamps the events.

use super::alignment::analyse;
use super::command::{AxisAnswer, Command, Join, OrgChoice, TrackSpec};
use super::event::Event;
use super::ids::{OrgId, ParticipantId};
use super::input::Name;
use super::rejection::Rejection;
use super::state::{Participant, Phase, Position, Resolution, Role, State};
use crate::model::{Form, Lang};

/// Most tracks a split may have: beyond a handful the design becomes unworkable in one session.
pub const MAX_TRACKS: usize = 8;

/// Decides what a command from `by` (none for an anonymous request) causes in `state`.
pub fn decide(
    state: &State,
    by: Option<ParticipantId>,
    command: &Command,
) -> Result<Vec<Event>, Rejection> {
    if let Command::Create(c) = command {
        if state.created {
            return Err(Rejection::AlreadyCreated);
        }
        return Ok(vec![Event::SessionCreated {
            title: c.title.as_str().to_owned(),
            language: c.language,
            facilitator: c.facilitator,
            facilitator_name: c.facilitator_name.as_str().to_owned(),
            settings: super::state::Settings {
                auto_reveal: c.auto_reveal,
                ..Default::default()
            },
        }]);
    }
    if !state.created {
        return Err(Rejection::UnknownSession);
    }
    if state.phase == Phase::Closed {
        return Err(Rejection::wrong_phase(command.name(), state.phase));
    }
    if let Command::Join(join) = command {
        return decide_join(state, join);
    }
    let sender = by
        .and_then(|id| state.participant(id))
        .ok_or(Rejection::NotAParticipant)?;
    let name = command.name();
    let need = |role: Role| -> Result<(), Rejection> {
        if sender.role == role {
            Ok(())
        } else {
            Err(Rejection::forbidden(name, role))
        }
    };
    let in_phase = |phase: Phase| -> Result<(), Rejection> {
        if state.phase == phase {
            Ok(())
        } else {
            Err(Rejection::wrong_phase(name, state.phase))
        }
    };

    match command {
        Command::Create(_) | Command::Join(_) => unreachable_command(),
        Command::StartPositioning => {
            need(Role::Facilitator)?;
            in_phase(Phase::Lobby)?;
            Ok(vec![Event::PositioningStarted { round: 1 }])
        }
        Command::Answer(answer) => {
            need(Role::Representative)?;
            in_phase(Phase::Positioning)?;
            decide_answer(state, sender, answer)
        }
        Command::Reveal { force } => {
            need(Role::Facilitator)?;
            in_phase(Phase::Positioning)?;
            let missing = state.missing_answers();
            if !missing.is_empty() && !force {
                return Err(Rejection::NotAllAnswered(missing.len()));
            }
            if state.answers.is_empty() {
                return Err(Rejection::NoAnswers);
            }
            Ok(vec![reveal(state, &state.answers, false)])
        }
        Command::UpdateSettings {
            auto_reveal,
            new_organisations_allowed,
        } => {
            need(Role::Facilitator)?;
            let mut settings = state.settings;
            settings.auto_reveal = auto_reveal.unwrap_or(settings.auto_reveal);
            settings.new_organisations_allowed =
                new_organisations_allowed.unwrap_or(settings.new_organisations_allowed);
            if settings == state.settings {
                return Ok(Vec::new());
            }
            let mut events = vec![Event::SettingsChanged { settings }];
            // Turning auto-reveal on when everyone has already answered reveals at once, as
            // the setting promises.
            if settings.auto_reveal
                && state.phase == Phase::Positioning
                && !state.answers.is_empty()
                && state.missing_answers().is_empty()
            {
                events.push(reveal(state, &state.answers, true));
            }
            Ok(events)
        }
        Command::NewRound => {
            need(Role::Facilitator)?;
            in_phase(Phase::Alignment)?;
            Ok(vec![Event::NewRoundStarted {
                round: state.round + 1,
            }])
        }
        Command::DecideForm { form, rationale } => {
            need(Role::Facilitator)?;
            in_phase(Phase::Alignment)?;
            Ok(vec![Event::FormDecided {
                form: *form,
                rationale: rationale.as_str().to_owned(),
                dissenting: dissenting(state, *form),
            }])
        }
        Command::Split { tracks } => {
            need(Role::Facilitator)?;
            in_phase(Phase::Alignment)?;
            check_tracks(tracks)?;
            Ok(vec![Event::SplitIntoTracks {
                tracks: tracks.clone(),
            }])
        }
        Command::StartDesign => {
            need(Role::Facilitator)?;
            in_phase(Phase::Alignment)?;
            let tracks = match state.current_resolution() {
                Some(Resolution::Decided { form, .. }) => vec![single_track(state.language, *form)],
                Some(Resolution::Split { tracks, .. }) => tracks.clone(),
                _ => match state.current_reveal().and_then(|r| r.report.agreed) {
                    Some(form) => vec![single_track(state.language, form)],
                    None => return Err(Rejection::GateClosed),
                },
            };
            Ok(vec![Event::PhaseChanged {
                phase: Phase::Design,
                tracks,
            }])
        }
    }
}

/// `Create` and `Join` are handled before the sender is looked up.
/// `Create` and `Join` are decided before the sender is looked up, so this is never reached;
/// refusing is the safe answer if it ever were.
fn unreachable_command() -> Result<Vec<Event>, Rejection> {
    Err(Rejection::NotAParticipant)
}

fn decide_join(state: &State, join: &Join) -> Result<Vec<Event>, Rejection> {
    if state
        .participants
        .iter()
        .any(|p| p.name.to_lowercase() == join.name.key())
    {
        return Err(Rejection::NameTaken(join.name.as_str().to_owned()));
    }
    let mut events = Vec::with_capacity(2);
    let organisation = match &join.organisation {
        OrgChoice::Existing(id) => {
            state
                .organisation(*id)
                .ok_or(Rejection::UnknownOrganisation)?
                .id
        }
        OrgChoice::New { id, name } => {
            if let Some(existing) = state
                .organisations
                .iter()
                .find(|o| o.name.to_lowercase() == name.key())
            {
                return Err(Rejection::OrganisationTaken(existing.name.clone()));
            }
            if !state.settings.new_organisations_allowed {
                return Err(Rejection::NewOrganisationsClosed);
            }
            events.push(Event::OrganisationAdded {
                organisation: *id,
                name: name.as_str().to_owned(),
            });
            *id
        }
    };
    events.push(Event::ParticipantJoined {
        participant: join.participant,
        name: join.name.as_str().to_owned(),
        role: Role::Representative,
        organisation: Some(organisation),
    });
    Ok(events)
}

fn decide_answer(
    state: &State,
    sender: &Participant,
    answer: &AxisAnswer,
) -> Result<Vec<Event>, Rejection> {
    let organisation = sender.organisation.ok_or(Rejection::NotAParticipant)?;
    let mut events = vec![Event::AnswerGiven {
        participant: sender.id,
        round: state.round,
        answer: answer.clone(),
    }];
    if state.settings.auto_reveal {
        // Look at the answers as they will be after this one, to see whether it was the last.
        let mut after = state.answers.clone();
        after
            .entry(sender.id)
            .or_insert_with(|| Position::empty(sender.id, organisation))
            .record(answer);
        let all_answered = state
            .representatives()
            .all(|p| after.get(&p.id).is_some_and(Position::complete));
        if all_answered {
            events.push(reveal(state, &after, true));
        }
    }
    Ok(events)
}

/// The reveal of `answers` (the current round's, possibly including an answer being given now).
fn reveal(
    state: &State,
    answers: &std::collections::BTreeMap<ParticipantId, Position>,
    automatic: bool,
) -> Event {
    // Positions in the order people joined, so every view and the record list them alike.
    let positions: Vec<Position> = state
        .representatives()
        .filter_map(|p| answers.get(&p.id).cloned())
        .collect();
    let missing: Vec<ParticipantId> = state
        .representatives()
        .filter(|p| !answers.get(&p.id).is_some_and(Position::complete))
        .map(|p| p.id)
        .collect();
    let orgs: Vec<OrgId> = state.organisations.iter().map(|o| o.id).collect();
    Event::Revealed {
        round: state.round,
        forced: !missing.is_empty(),
        automatic,
        report: analyse(&orgs, &positions),
        missing,
        positions,
    }
}

/// Organisations whose own standing in the current round differs from `form`: another form,
/// or split inside. Organisations that gave no complete answer take no position to dissent from.
fn dissenting(state: &State, form: Form) -> Vec<OrgId> {
    state
        .current_reveal()
        .map(|r| {
            r.report
                .organisations
                .iter()
                .filter(|o| !o.forms.is_empty() && o.form != Some(form))
                .map(|o| o.organisation)
                .collect()
        })
        .unwrap_or_default()
}

fn check_tracks(tracks: &[TrackSpec]) -> Result<(), Rejection> {
    if tracks.len() < 2 {
        return Err(Rejection::InvalidTracks(
            "a split needs at least two tracks",
        ));
    }
    if tracks.len() > MAX_TRACKS {
        return Err(Rejection::InvalidTracks(
            "a split may have at most 8 tracks",
        ));
    }
    for (i, t) in tracks.iter().enumerate() {
        if tracks[..i].iter().any(|o| o.name.key() == t.name.key()) {
            return Err(Rejection::InvalidTracks("every track needs its own name"));
        }
    }
    Ok(())
}

/// The one track of a session that was not split, named for the whole collaboration.
fn single_track(language: Lang, form: Form) -> TrackSpec {
    let name = match language {
        Lang::En => "Collaboration",
        Lang::Nl => "Samenwerking",
    };
    TrackSpec {
        name: Name::constant(name),
        form,
    }
}
