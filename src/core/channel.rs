//! The channels a message can travel on.

use serde::{Deserialize, Serialize};

/// A messaging channel. Consent, windows and keywords are tracked per channel.
///
/// ```
/// use msgcore::Channel;
/// assert_eq!(serde_json::to_string(&Channel::WhatsApp).unwrap(), "\"whatsapp\"");
/// assert_eq!("sms".parse::<Channel>().unwrap(), Channel::Sms);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// SMS (and MMS) through a carrier such as Twilio or Telnyx.
    Sms,
    /// WhatsApp, through the Meta Cloud API or Twilio.
    #[serde(rename = "whatsapp")]
    WhatsApp,
}

impl Channel {
    /// Every channel, in a stable order.
    pub const ALL: [Channel; 2] = [Channel::Sms, Channel::WhatsApp];

    /// The stable wire name: `"sms"` or `"whatsapp"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::WhatsApp => "whatsapp",
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The input named no known channel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}: expected \"sms\" or \"whatsapp\"")]
pub struct UnknownChannel(pub String);

impl std::str::FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_round_trips_through_its_wire_name() {
        for channel in Channel::ALL {
            assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
            let json = serde_json::to_string(&channel).unwrap();
            assert_eq!(json, format!("\"{}\"", channel.as_str()));
        }
    }

    #[test]
    fn an_unknown_channel_name_is_refused_with_the_name() {
        assert_eq!("SMS".parse::<Channel>(), Err(UnknownChannel("SMS".into())));
    }
}
