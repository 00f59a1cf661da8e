# SPDX-License-Identifier: EUPL-1.2
"""Every state change of the referrals app: one named, atomic function each, with its audit
event and case-history entry written in the same transaction.

- ``directory``: the help directory (no personal data).
- ``consent``: recording and withdrawing consent; recording a legal ground.
- ``disclosure``: referrals and police forwardings, all through ``vangnet.referrals.gate``.
"""
