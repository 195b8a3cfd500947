"""Read models: the plain, frozen data the services return and the window shows.

One module per area (`cases`, `agreements`, `referrals`, `mediators`, `assignment`, `workflow`, `committee`).
Services build these and import them from here; nothing re-exports them from `laopan.services`. They hold no
session or ORM object, so a worker thread may hand them to the window.

Names say what the data is for:

- `…Row`: one line of a list or table (`CaseRow`, `DeadlineRow`, `ReferralRow`, `ReviewRow`, `MentoringRow`,
  `LedgerRow`).
- `…View`: one record shown on its own or inside a page (`PartyView`, `MediatorView`, `PairingView`,
  `SignatureView`, `PoliceReportView`, `UserView`, `CommitteeView`).
- `…Detail`: everything one page or tab shows (`CaseDetail`, `AgreementDetail`, `RegistryDetail`,
  `WorkbenchDetail`).
- `…State`: an editor's current data together with what the actor may do to it (`AgreementState`).
- A few say what they are in the domain's own word: `AgreementCheck` (the statutory check's result),
  `DeadlineLists` (overdue and due-soon rows, grouped), `Suggestion`/`ScorePart`/`RecusalMatch` (assignment),
  `ActionInfo` (a move the window may offer), `TimelineEntry`, `DictEntry`.

Read models carry permissions (STYLE rule 18): whatever the window would otherwise decide — which moves are
offered, whether the actor may review, draft or finalise an agreement, end a pairing or maintain the registry,
whether a case or a referral is due soon — is a field computed by the service that also enforces it
(`tests/core/test_permission_flags.py` holds each flag to the call it stands for). Widgets read these
fields; they never re-derive the rule.

Inputs (what the services accept) live in `laopan.inputs`.
"""
