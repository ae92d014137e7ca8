//! E.164 parsing: never panics, and whatever it accepts is a fixed point.
//!
//! Input: an optional default region on the first line, the text to parse after it.

use msgcore::E164;

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (region, input) = match text.split_once('\n') {
        Some((region, input)) => (Some(region), input),
        None => (None, text),
    };
    if let Ok(number) = E164::parse(input, region) {
        assert_eq!(E164::parse(number.as_str(), None), Ok(number));
        assert_eq!(E164::from_wa_id(number.wa_id()), Ok(number));
        let whatsapp = number.twilio_address(msgcore::Channel::WhatsApp);
        assert_eq!(
            E164::from_twilio_address(&whatsapp),
            Ok((msgcore::Channel::WhatsApp, number))
        );
    }
    let _ = E164::from_wa_id(text);
    let _ = E164::from_twilio_address(text);
}
