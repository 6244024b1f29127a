pub mod bodies;
pub mod governance;
pub mod scorecard;

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    bodies::list,
    bodies::teams,
    bodies::show,
    bodies::create,
    bodies::update,
    bodies::close,
    bodies::import_bodies,
    bodies::import_seats,
    bodies::members,
    bodies::add_seat,
    bodies::remove_seat,
    scorecard::show,
    scorecard::teams,
    scorecard::participation,
    scorecard::decisions,
    governance::history,
    governance::rules,
    governance::set_rules,
    governance::changes,
    governance::change,
    governance::request_change,
    governance::approve,
    governance::withdraw,
    governance::notices,
    governance::read_notices,
    governance::meetings,
    governance::call_meeting,
    governance::meeting,
    governance::invite,
    governance::minutes,
    governance::health
))]
pub struct Doc;
