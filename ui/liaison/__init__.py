"""The 警调 page: police referrals, their dialogs, quick intake and the station ledger."""
