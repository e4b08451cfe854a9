// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {JobStatus} from "../../src/interfaces/ILoomTypes.sol";
import {ReplicatedJobActions} from "./ReplicatedJobActions.sol";
import {SingleJobActions} from "./SingleJobActions.sol";

/// @notice Arms the re-entering actor, before each ETH payout to it, with one call the rules allow it to
/// make from inside the payout (release or claim a single job, take a slot or finalize a replicated
/// job), predicts whether the guards let it through, and applies what it did to the model.
abstract contract ReentryArming is SingleJobActions, ReplicatedJobActions {
    /// @dev Which call the re-entering actor was armed with before a payout.
    enum Armed {
        None,
        Release,
        Claim,
        TakeSlot,
        Finalize
    }

    Armed internal _armed;
    uint256 internal _armedIndex;
    Behaviour internal _armedBehaviour;
    bool internal _armedShouldSucceed;

    /// @dev Arms the re-entering actor with a call it may make while being paid, and predicts whether
    /// it goes through: each guard refuses only calls into its own contract, so a call fails exactly
    /// when it enters the payer (finalize while the replicated market pays) or needs the registry's
    /// `unlock` while the registry pays (release or finalize with collateral to unlock).
    function _arm(uint256 armSeed, address payer) internal override {
        for (uint256 k; k < 4; k++) {
            Armed kind = Armed(1 + (armSeed % 4 + k) % 4);
            if (kind == Armed.Release && _armRelease(armSeed, payer)) return;
            if (kind == Armed.Claim && _armClaim(armSeed)) return;
            if (kind == Armed.TakeSlot && _armTakeSlot(armSeed)) return;
            if (kind == Armed.Finalize && _armFinalize(armSeed, payer)) return;
        }
    }

    /// @dev Releasing a job the actor posted (the client may release any time).
    function _armRelease(uint256 armSeed, address payer) private returns (bool) {
        (bool found, uint256 i) = _findJob(armSeed, JobStatus.Submitted, _isReentrantsJob);
        if (!found) return false;
        reentrant.arm(address(market), abi.encodeCall(market.release, (_jobs[i].terms)));
        _armedAs(Armed.Release, i, !(payer == address(registry) && _jobs[i].terms.collateral != 0));
        return true;
    }

    /// @dev Claiming an open job the actor is eligible for.
    function _armClaim(uint256 armSeed) private returns (bool) {
        (bool found, uint256 i) = _findJob(armSeed, JobStatus.Open, _isClaimableByReentrant);
        if (!found) return false;
        reentrant.arm(address(market), abi.encodeCall(market.claimJob, (_jobs[i].terms)));
        _armedAs(Armed.Claim, i, true);
        return true;
    }

    /// @dev Taking a free slot of a replicated job the actor is eligible for and holds no slot of.
    function _armTakeSlot(uint256 armSeed) private returns (bool) {
        (bool found, uint256 r) = _findReplicated(armSeed, _hasFreeSlotForReentrant);
        if (!found) return false;
        reentrant.arm(address(replicated), abi.encodeCall(replicated.takeSlot, (_rjobs[r].terms)));
        _armedAs(Armed.TakeSlot, r, true);
        _armedBehaviour = _behaviour(r, armSeed >> 8);
        return true;
    }

    /// @dev Finalizing any replicated job ready for it.
    function _armFinalize(uint256 armSeed, address payer) private returns (bool) {
        (bool found, uint256 r) = _findReplicated(armSeed, _isFinalizable);
        if (!found) return false;
        reentrant.arm(address(replicated), abi.encodeCall(replicated.finalize, (_rjobs[r].terms)));
        bool unlocks = _rjobs[r].terms.collateral != 0 && _rjobs[r].filled != 0;
        _armedAs(Armed.Finalize, r, payer != address(replicated) && !(payer == address(registry) && unlocks));
        return true;
    }

    function _armedAs(Armed kind, uint256 index, bool shouldSucceed) private {
        (_armed, _armedIndex, _armedShouldSucceed) = (kind, index, shouldSucceed);
    }

    function _afterPayout() internal override {
        Armed kind = _armed;
        if (kind == Armed.None) return;
        bool succeeded = reentrant.armedCallSucceeded();
        require(succeeded == _armedShouldSucceed, "handler: a call made from inside a payout defied the guards");
        if (succeeded) {
            if (kind == Armed.Release) {
                _closed(_armedIndex);
                calls["reentrantRelease"]++;
            } else if (kind == Armed.Claim) {
                _assigned(_armedIndex, address(reentrant), _jobs[_armedIndex].terms.budget);
                calls["reentrantClaim"]++;
            } else if (kind == Armed.TakeSlot) {
                _slotTaken(_armedIndex, address(reentrant), _armedBehaviour);
                calls["reentrantTakeSlot"]++;
            } else {
                _replicatedClosed(_armedIndex, false);
                calls["reentrantFinalize"]++;
            }
        } else {
            calls["reentrantCallRefused"]++;
        }
        reentrant.arm(address(0), "");
        _armed = Armed.None;
    }

    function _isReentrantsJob(uint256 i) private view returns (bool) {
        return _jobs[i].terms.client == address(reentrant);
    }

    function _isClaimableByReentrant(uint256 i) private view returns (bool) {
        return _isClaimable(i) && _isOfferedTo(i, address(reentrant)) && _isEligibleFor(address(reentrant), _jobs[i].terms);
    }

    function _hasFreeSlotForReentrant(uint256 r) private view returns (bool) {
        return _hasFreeSlot(r) && _canTakeSlot(r, address(reentrant));
    }
}
