//! Deciding a rationale: a representative who was asked says why their position differs.

use super::Ctx;
use crate::session::command::RationaleTarget;
use crate::session::event::Event;
use crate::session::input::FreeText;
use crate::session::rationale::requests;
use crate::session::rejection::Rejection;
use crate::session::values::{Phase, RationaleSubject, Role};

pub(super) fn give(
    cx: &Ctx,
    target: RationaleTarget,
    text: &FreeText,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Representative)?;
    let about = match target {
        RationaleTarget::Axis(axis) => {
            cx.in_phase(Phase::Alignment)?;
            RationaleSubject::Axis {
                axis,
                round: cx.state.round,
            }
        }
        RationaleTarget::Aspect { track, aspect } => {
            cx.in_phase(Phase::Design)?;
            let t = cx.state.tracks.get(track).ok_or(Rejection::UnknownTrack)?;
            RationaleSubject::Aspect {
                track,
                aspect,
                round: t.aspect(aspect).round,
            }
        }
    };
    let asked = requests(cx.state)
        .iter()
        .any(|r| r.participant == cx.sender.id && r.about == about);
    if !asked {
        return Err(Rejection::NotAsked);
    }
    Ok(vec![Event::RationaleGiven {
        participant: cx.sender.id,
        about,
        text: text.as_str().to_owned(),
    }])
}
