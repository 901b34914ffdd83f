//! The parser refuses every kind of bad message with its own code, and never panics.

use super::*;
use crate::model::Nature;
use crate::session::AxisAnswer;

mod examples {
    use super::*;

    fn code(text: &str) -> &'static str {
        parse(text).unwrap_err().error.code
    }

    #[test]
    fn each_kind_of_bad_message_has_its_own_code() {
        assert_eq!(code("{not json"), "malformed_json");
        assert_eq!(code("[1,2]"), "invalid_arguments");
        assert_eq!(code(r#"{"type":"dance"}"#), "unknown_message_type");
        assert_eq!(
            code(r#"{"type":"command","id":"1","command":"dance"}"#),
            "unknown_command"
        );
        assert_eq!(
            code(r#"{"type":"command","id":"1","command":"answer","args":{"axis":"intent"}}"#),
            "invalid_arguments"
        );
        assert_eq!(
            code(
                r#"{"type":"command","id":"1","command":"answer","args":{"axis":"intent","pole":"share","strength":2}}"#
            ),
            "invalid_arguments"
        );
        assert_eq!(
            code(
                r#"{"type":"command","id":"1","command":"answer","args":{"axis":"intent","pole":"improve","strength":7}}"#
            ),
            "out_of_range"
        );
        assert_eq!(
            code(r#"{"type":"command","id":"has space","command":"reveal"}"#),
            "invalid_characters"
        );
    }

    #[test]
    fn the_command_id_comes_back_with_the_error() {
        let e = parse(r#"{"type":"command","id":"c7","command":"dance"}"#).unwrap_err();
        assert_eq!(e.id.as_deref(), Some("c7"));
    }

    #[test]
    fn a_good_answer_parses() {
        match parse(r#"{"type":"command","id":"c1","command":"answer","args":{"axis":"nature","pole":"share","strength":3,"motivation":"we pool our IT"}}"#).unwrap() {
            ClientMessage::Command { id, command: Command::Answer(AxisAnswer::Nature { pole, strength, motivation }) } => {
                assert_eq!(id.as_str(), "c1");
                assert_eq!(pole, Nature::Share);
                assert_eq!(strength.get(), 3);
                assert_eq!(motivation.unwrap().as_str(), "we pool our IT");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            ".{0,20}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("axis".to_owned()),
                        Just("pole".to_owned()),
                        Just("strength".to_owned()),
                        Just("form".to_owned()),
                        Just("tracks".to_owned()),
                        Just("name".to_owned()),
                        ".{0,6}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn no_text_makes_the_parser_panic(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn no_envelope_makes_the_parser_panic(
            kind in prop_oneof![Just("command"), Just("hello"), Just("snapshot"), Just("x")],
            name in prop_oneof![
                Just("answer"), Just("reveal"), Just("split"), Just("decide_form"),
                Just("update_settings"), Just("start_design"), Just("new_round"), Just("zzz")
            ],
            id in ".{0,70}",
            args in json_value(),
        ) {
            let message = serde_json::json!({ "type": kind, "id": id, "command": name, "args": args });
            match parse(&message.to_string()) {
                Ok(_) => {}
                Err(e) => prop_assert!(!e.error.code.is_empty() && !e.error.message.is_empty()),
            }
        }
    }
}
