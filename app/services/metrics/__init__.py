"""The evaluation meeting's figures (CV-24, CV-26), computed from the event log."""
