//! Resource states, as enums. `aws/` converts the SDK's values into these; the rules and the
//! plan match on variants, never on strings. Each serialises as the text AWS sends, so the
//! inventory's JSON (docs/inventory.md) is unchanged, and a state this version does not know
//! survives as `Other` with AWS's text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! states {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
            /// A state this version does not know (or none was sent), as AWS sent it.
            Other(String),
        }

        impl $name {
            /// AWS's text for this state (case-insensitive; an unknown text is kept).
            pub fn parse(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case($text) {
                    return Self::$variant;
                })+
                Self::Other(text.to_string())
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(text) => text,
                }
            }
        }

        impl Default for $name {
            /// No state sent.
            fn default() -> Self {
                Self::Other(String::new())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::parse(&String::deserialize(d)?))
            }
        }
    };
}

states! {
    /// An Availability Zone's state (DescribeAvailabilityZones).
    ZoneState {
        Available = "available",
        Information = "information",
        Impaired = "impaired",
        Unavailable = "unavailable",
        Constrained = "constrained",
    }
}

states! {
    /// A VPC CIDR block association's state.
    CidrState {
        Associating = "associating",
        Associated = "associated",
        Disassociating = "disassociating",
        Disassociated = "disassociated",
        Failing = "failing",
        Failed = "failed",
    }
}

impl CidrState {
    /// The block is, or is becoming, part of the VPC.
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Associated | Self::Associating)
    }
}

states! {
    /// A route's state: a blackhole route's target is gone.
    RouteState {
        Active = "active",
        Blackhole = "blackhole",
    }
}

states! {
    /// A NAT gateway's state.
    NatState {
        Pending = "pending",
        Failed = "failed",
        Available = "available",
        Deleting = "deleting",
        Deleted = "deleted",
    }
}

states! {
    /// A VPC endpoint's state, lowercase (AWS and moto send lowercase text the SDK does not
    /// map: aws-sdk-rust#619).
    EndpointState {
        PendingAcceptance = "pendingacceptance",
        Pending = "pending",
        Available = "available",
        Deleting = "deleting",
        Deleted = "deleted",
        Rejected = "rejected",
        Failed = "failed",
        Expired = "expired",
        Partial = "partial",
    }
}

impl EndpointState {
    /// Deleted or on its way out: not something to adopt.
    pub fn is_gone(&self) -> bool {
        matches!(self, Self::Deleted | Self::Deleting)
    }

    /// There and working, or on its way: not gone, failed or rejected.
    pub fn is_usable(&self) -> bool {
        !(self.is_gone() || matches!(self, Self::Failed | Self::Rejected))
    }
}

states! {
    /// A VPC peering connection's status code.
    PeeringStatus {
        InitiatingRequest = "initiating-request",
        PendingAcceptance = "pending-acceptance",
        Active = "active",
        Deleted = "deleted",
        Rejected = "rejected",
        Failed = "failed",
        Expired = "expired",
        Provisioning = "provisioning",
        Deleting = "deleting",
    }
}

impl PeeringStatus {
    /// Over for good: discovery leaves these out.
    pub fn is_ended(&self) -> bool {
        matches!(
            self,
            Self::Deleted | Self::Rejected | Self::Expired | Self::Failed
        )
    }
}

states! {
    /// An EKS cluster's status.
    ClusterStatus {
        Creating = "CREATING",
        Active = "ACTIVE",
        Deleting = "DELETING",
        Failed = "FAILED",
        Updating = "UPDATING",
        Pending = "PENDING",
    }
}

states! {
    /// A Route 53 Resolver endpoint's status.
    ResolverEndpointStatus {
        Creating = "CREATING",
        Operational = "OPERATIONAL",
        Updating = "UPDATING",
        AutoRecovering = "AUTO_RECOVERING",
        ActionNeeded = "ACTION_NEEDED",
        Deleting = "DELETING",
    }
}

states! {
    /// The status of one of a Resolver endpoint's IP addresses.
    ResolverIpStatus {
        Creating = "CREATING",
        FailedCreation = "FAILED_CREATION",
        Attaching = "ATTACHING",
        Attached = "ATTACHED",
        RemapDetaching = "REMAP_DETACHING",
        RemapAttaching = "REMAP_ATTACHING",
        Detaching = "DETACHING",
        FailedResourceGone = "FAILED_RESOURCE_GONE",
        Deleting = "DELETING",
        DeleteFailedFasExpired = "DELETE_FAILED_FAS_EXPIRED",
        Updating = "UPDATING",
        UpdateFailed = "UPDATE_FAILED",
        Isolated = "ISOLATED",
    }
}

states! {
    /// A Resolver rule's status.
    ResolverRuleStatus {
        Complete = "COMPLETE",
        Deleting = "DELETING",
        Updating = "UPDATING",
        Failed = "FAILED",
    }
}

states! {
    /// A Resolver rule association's status.
    AssociationStatus {
        Creating = "CREATING",
        Complete = "COMPLETE",
        Deleting = "DELETING",
        Failed = "FAILED",
        Overridden = "OVERRIDDEN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_aws_text_and_unknown_states_survive() {
        assert_eq!(
            serde_json::to_string(&CidrState::Associated).unwrap(),
            "\"associated\""
        );
        assert_eq!(
            serde_json::from_str::<ClusterStatus>("\"ACTIVE\"").unwrap(),
            ClusterStatus::Active
        );
        assert_eq!(EndpointState::parse("Available"), EndpointState::Available);
        let odd: PeeringStatus = serde_json::from_str("\"brand-new\"").unwrap();
        assert_eq!(odd, PeeringStatus::Other("brand-new".into()));
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"brand-new\"");
        assert_eq!(NatState::default().as_str(), "");
    }
}
