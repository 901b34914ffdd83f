//! Deciding who the partners are and what they aim for: each organisation's own goal and the
//! joint goal (the article: collaboration is not a goal in itself), and which organisations
//! are advisors rather than partners.

use super::Ctx;
use crate::session::event::Event;
use crate::session::ids::OrgId;
use crate::session::input::FreeText;
use crate::session::rejection::Rejection;
use crate::session::values::{Phase, Role};

/// An organisation's goal (its representative or a facilitator), or the joint goal (a
/// facilitator), while the collaboration is still being shaped: up to the design.
pub(super) fn state_goal(
    cx: &Ctx,
    organisation: Option<OrgId>,
    text: Option<&FreeText>,
) -> Result<Vec<Event>, Rejection> {
    if matches!(cx.state.phase, Phase::Review | Phase::Closed) {
        return Err(Rejection::wrong_phase(cx.name, cx.state.phase));
    }
    let current = match organisation {
        None => {
            cx.need(Role::Facilitator)?;
            cx.state.joint_goal.as_deref()
        }
        Some(id) => {
            let o = cx
                .state
                .active_organisations()
                .find(|o| o.id == id)
                .ok_or(Rejection::UnknownOrganisation)?;
            // One's own organisation's goal is one's own to state; a facilitator may write
            // down what any organisation said.
            if cx.sender.role != Role::Facilitator && cx.sender.organisation != Some(id) {
                return Err(Rejection::forbidden(cx.name, Role::Facilitator));
            }
            o.goal.as_deref()
        }
    };
    let text = text.map(|t| t.as_str().to_owned());
    if current == text.as_deref() {
        return Ok(Vec::new());
    }
    Ok(vec![Event::GoalStated { organisation, text }])
}

/// Marks an organisation as an advisor (or a partner again) before any answer is revealed for
/// good: in the lobby or while positioning, so that every reveal counts the partners it shows.
pub(super) fn set_advisor(
    cx: &Ctx,
    organisation: OrgId,
    advisor: bool,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    if !matches!(cx.state.phase, Phase::Lobby | Phase::Positioning) {
        return Err(Rejection::wrong_phase(cx.name, cx.state.phase));
    }
    let o = cx
        .state
        .active_organisations()
        .find(|o| o.id == organisation)
        .ok_or(Rejection::UnknownOrganisation)?;
    if o.advisor == advisor {
        return Ok(Vec::new());
    }
    Ok(vec![Event::AdvisorSet {
        organisation,
        advisor,
    }])
}
