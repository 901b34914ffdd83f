//! `decide`: a command, checked against the current state, becomes the events it causes — or a
//! rejection, and then nothing changes. No I/O and no clock: the caller stamps the events.

mod board;
mod design;
mod diagnosis;
mod form_round;
mod negotiation;
mod partners;
mod positioning;
mod rationale;
mod review;

use super::command::Command;
use super::diagnosis::Mode;
use super::event::Event;
use super::ids::ParticipantId;
use super::rejection::Rejection;
use super::reveal::answers_revealed;
use super::state::{Participant, State};
use super::values::{Limits, Phase, Role, Settings};

/// Most tracks a split may have: beyond a handful the design becomes unworkable in one session.
pub const MAX_TRACKS: usize = 8;

/// What every rule needs: the state, the sender, and the command's name for messages.
struct Ctx<'a> {
    state: &'a State,
    sender: &'a Participant,
    name: &'static str,
}

impl Ctx<'_> {
    fn need(&self, role: Role) -> Result<(), Rejection> {
        if self.sender.role == role {
            Ok(())
        } else {
            Err(Rejection::forbidden(self.name, role))
        }
    }

    fn in_phase(&self, phase: Phase) -> Result<(), Rejection> {
        if self.state.phase == phase {
            Ok(())
        } else {
            Err(Rejection::wrong_phase(self.name, self.state.phase))
        }
    }

    /// A facilitator command in one phase.
    fn facilitator_in(&self, phase: Phase) -> Result<(), Rejection> {
        self.need(Role::Facilitator)?;
        self.in_phase(phase)
    }
}

pub use board::may_delete;

/// Refuses a design command in a diagnosis session.
fn design_only(cx: &Ctx) -> Result<(), Rejection> {
    match cx.state.mode() {
        Mode::Design => Ok(()),
        mode => Err(Rejection::wrong_mode(cx.name, mode)),
    }
}

/// Decides what a command from `by` (none for an anonymous request, or the server itself)
/// causes in `state`, within the operator's `limits`.
pub fn decide(
    limits: &Limits,
    state: &State,
    by: Option<ParticipantId>,
    command: &Command,
) -> Result<Vec<Event>, Rejection> {
    if let Command::Create(c) = command {
        if state.created {
            return Err(Rejection::AlreadyCreated);
        }
        let mut events = vec![Event::SessionCreated {
            title: c.title.as_str().to_owned(),
            language: c.language,
            facilitator: c.facilitator,
            facilitator_name: c.facilitator_name.as_str().to_owned(),
            settings: Settings {
                auto_reveal: c.auto_reveal,
                ..Default::default()
            },
            join_code: c.join_code.clone(),
            time_zone: c.time_zone.as_ref().map(|z| z.as_str().to_owned()),
            mode: c.mode,
            subject: (c.mode == Mode::Diagnosis).then_some(c.subject),
            baseline: c.baseline.clone(),
        }];
        // A follow-up's organisations come back (their representatives are invited anew).
        for o in c.baseline.iter().flat_map(|b| &b.organisations) {
            events.push(Event::OrganisationAdded {
                organisation: o.organisation,
                name: o.name.clone(),
            });
            if o.advisor {
                events.push(Event::AdvisorSet {
                    organisation: o.organisation,
                    advisor: true,
                });
            }
        }
        return Ok(events);
    }
    if !state.created {
        return Err(Rejection::UnknownSession);
    }
    if state.phase == Phase::Closed {
        return Err(Rejection::SessionClosed);
    }
    match command {
        Command::Join(join) => return positioning::decide_join(limits, state, join),
        Command::JoinFacilitator { participant, name } => {
            return board::join_facilitator(limits, state, *participant, name);
        }
        Command::EndTimer { at } => return Ok(board::end_timer(state, *at)),
        _ => {}
    }
    let Some(sender) = by.and_then(|id| state.active_participant(id)) else {
        // A board link watches; it is told so rather than that it is nobody.
        if by.and_then(|id| state.active_observer(id)).is_some() {
            return Err(Rejection::ReadOnly);
        }
        return Err(Rejection::NotAParticipant);
    };
    let cx = Ctx {
        state,
        sender,
        name: command.name(),
    };

    match command {
        Command::Create(_)
        | Command::Join(_)
        | Command::JoinFacilitator { .. }
        | Command::EndTimer { .. } => {
            // Decided above, before the sender was looked up.
            Err(Rejection::NotAParticipant)
        }
        Command::StartPositioning => {
            cx.facilitator_in(Phase::Lobby)?;
            Ok(vec![Event::PositioningStarted { round: 1 }])
        }
        Command::Answer(answer) => {
            cx.need(Role::Representative)?;
            cx.in_phase(Phase::Positioning)?;
            positioning::decide_answer(state, sender, answer)
        }
        Command::Reveal { force } => {
            cx.facilitator_in(Phase::Positioning)?;
            let missing = state.missing_answers();
            if !missing.is_empty() && !force {
                return Err(Rejection::NotAllAnswered(missing.len()));
            }
            if state.answers.is_empty() {
                return Err(Rejection::NoAnswers);
            }
            Ok(vec![answers_revealed(state, &state.answers, false)])
        }
        Command::PreviewReveal => {
            cx.facilitator_in(Phase::Positioning)?;
            if state.answers.is_empty() {
                return Err(Rejection::NoAnswers);
            }
            Ok(vec![Event::RevealPreviewed { round: state.round }])
        }
        Command::UpdateSettings {
            auto_reveal,
            new_organisations_allowed,
            time_zone,
        } => {
            cx.need(Role::Facilitator)?;
            let mut settings = state.settings;
            settings.auto_reveal = auto_reveal.unwrap_or(settings.auto_reveal);
            settings.new_organisations_allowed =
                new_organisations_allowed.unwrap_or(settings.new_organisations_allowed);
            let mut events = Vec::new();
            if let Some(z) = time_zone
                && state.time_zone.as_deref() != Some(z.as_str())
            {
                // The times of a draft being approved stay as the partners read them.
                if state.phase == Phase::Review {
                    return Err(Rejection::wrong_phase(cx.name, state.phase));
                }
                events.push(Event::TimeZoneSet {
                    time_zone: z.as_str().to_owned(),
                });
            }
            if settings == state.settings {
                return Ok(events);
            }
            events.push(Event::SettingsChanged { settings });
            // Turning auto-reveal on when everyone has already answered reveals at once, as
            // the setting promises.
            if settings.auto_reveal
                && state.phase == Phase::Positioning
                && !state.answers.is_empty()
                && state.missing_answers().is_empty()
            {
                events.push(answers_revealed(state, &state.answers, true));
            }
            Ok(events)
        }
        Command::NewRound => {
            cx.facilitator_in(Phase::Alignment)?;
            form_round::no_open_form_round(&cx)?;
            Ok(vec![Event::NewRoundStarted {
                round: state.round + 1,
            }])
        }
        Command::DecideForm { form, rationale } => {
            cx.facilitator_in(Phase::Alignment)?;
            form_round::no_open_form_round(&cx)?;
            Ok(vec![Event::FormDecided {
                form: *form,
                rationale: rationale.as_str().to_owned(),
                dissenting: positioning::dissenting(state, *form),
            }])
        }
        Command::Split { tracks, rationale } => {
            cx.facilitator_in(Phase::Alignment)?;
            form_round::no_open_form_round(&cx)?;
            design_only(&cx)?;
            positioning::check_tracks(state, tracks)?;
            Ok(vec![Event::SplitIntoTracks {
                tracks: tracks.clone(),
                rationale: rationale.as_str().to_owned(),
            }])
        }
        Command::StartDesign => {
            cx.facilitator_in(Phase::Alignment)?;
            form_round::no_open_form_round(&cx)?;
            design_only(&cx)?;
            let tracks = state.design_tracks().ok_or(Rejection::GateClosed)?;
            Ok(vec![Event::PhaseChanged {
                phase: Phase::Design,
                tracks,
            }])
        }
        Command::Respond {
            track,
            aspect,
            response,
        } => design::respond(&cx, *track, *aspect, response),
        Command::RevealAspects {
            track,
            aspects,
            cluster,
        } => design::reveal(&cx, *track, aspects, cluster.is_some()),
        Command::AgreeAspect {
            track,
            aspect,
            text,
            resembles,
        } => design::agree(&cx, *track, *aspect, text.as_ref(), *resembles),
        Command::AgreeProposal {
            track,
            aspect,
            proposal,
        } => negotiation::agree(&cx, *track, *aspect, *proposal),
        Command::Propose {
            track,
            aspect,
            source,
            text,
        } => negotiation::propose(&cx, limits, *track, *aspect, *source, text.as_ref()),
        Command::TagProposal {
            track,
            aspect,
            proposal,
            form,
        } => negotiation::tag(&cx, *track, *aspect, *proposal, *form),
        Command::CallRound {
            track,
            aspect,
            proposal,
        } => negotiation::call(&cx, *track, *aspect, *proposal),
        Command::AnswerRound {
            track,
            aspect,
            consent,
        } => negotiation::answer(&cx, *track, *aspect, consent),
        Command::CloseRound { track, aspect } => negotiation::close(&cx, *track, *aspect),
        Command::OverrideRound {
            track,
            aspect,
            rationale,
        } => negotiation::override_round(&cx, *track, *aspect, rationale),
        Command::CallFormRound { form, rationale } => form_round::call(&cx, *form, rationale),
        Command::AnswerFormRound { consent } => form_round::answer(&cx, consent),
        Command::CloseFormRound => form_round::close(&cx),
        Command::OverrideFormRound { rationale } => form_round::override_round(&cx, rationale),
        Command::ReopenAspect { track, aspect } => design::reopen(&cx, *track, *aspect),
        Command::ParkAspect {
            track,
            aspect,
            reason,
            owner,
            due,
        } => design::park(&cx, *track, *aspect, reason, *owner, *due),
        Command::AssignOpenItem {
            track,
            aspect,
            owner,
            due,
        } => design::assign_open_item(&cx, *track, *aspect, *owner, *due),
        Command::StateGoal { organisation, text } => {
            partners::state_goal(&cx, *organisation, text.as_ref())
        }
        Command::SetAdvisor {
            organisation,
            advisor,
        } => partners::set_advisor(&cx, *organisation, *advisor),
        Command::Focus { step } => board::focus(&cx, *step),
        Command::StartTimer { seconds, label } => board::start_timer(&cx, *seconds, label.as_ref()),
        Command::StopTimer => board::stop_timer(&cx),
        Command::WithdrawAnswer { axis } => {
            cx.need(Role::Representative)?;
            cx.in_phase(Phase::Positioning)?;
            positioning::withdraw(state, sender, *axis)
        }
        Command::WithdrawResponse { track, aspect } => design::withdraw(&cx, *track, *aspect),
        Command::ReissueLink { participant } => board::reissue_link(&cx, *participant),
        Command::ReplaceFacilitatorKey => board::facilitator_key(&cx, true),
        Command::RevokeFacilitatorKey => board::facilitator_key(&cx, false),
        Command::RenameOrganisation { organisation, name } => {
            board::rename(&cx, *organisation, name)
        }
        Command::MergeOrganisations { from, into } => board::merge(&cx, *from, *into),
        Command::RemoveParticipant { participant } => board::remove(&cx, *participant),
        Command::AddNote { about, text } => board::note(&cx, *about, text),
        Command::OpenReview => review::open(&cx),
        Command::Approve { track } => review::approve(&cx, *track),
        Command::Object { reason, aspects } => review::object(&cx, reason, aspects),
        Command::Close { force } => review::close(&cx, *force),
        Command::BackToDesign => review::back_to_design(&cx),
        Command::PreviewAspects { track, aspects } => design::preview(&cx, *track, aspects),
        Command::Diagnosis(c) => diagnosis::decide(&cx, limits, c),
        Command::GiveRationale { about, text } => rationale::give(&cx, *about, text),
        Command::CreateBoardLink { observer, label } => {
            board::create_board_link(&cx, limits, *observer, label)
        }
        Command::RevokeBoardLink { observer } => board::revoke_board_link(&cx, *observer),
    }
}
