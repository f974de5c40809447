package authz

// DecideInCarrier is Decide for act on obj in one carrier (regionID,
// carrierID), with the rule every service gives a carrier's objects: a
// refused action is 403 to who may read seeObj in the carrier (the
// carrier itself, or the kind of object the service keeps there) and 404
// (carrier-not-found) to everyone else.
func (e *Enforcer) DecideInCarrier(userID, regionID, carrierID, obj, act, seeObj string) error {
	s := Scope{RegionID: regionID, CarrierID: carrierID}
	return e.Decide(Request{UserID: userID, Scopes: []Scope{s}, Object: obj, Action: act, NotFound: "carrier-not-found",
		CanSee: e.MayRead(userID, seeObj, s)})
}

// DecideOnPlatform is Decide for a platform-wide act on obj (regions,
// accounts, maintenance): everyone knows the platform exists, so a
// refused action is 403, never 404.
func (e *Enforcer) DecideOnPlatform(userID, obj, act string) error {
	return e.Decide(Request{UserID: userID, Scopes: []Scope{{}}, Object: obj, Action: act, CanSee: Always})
}
