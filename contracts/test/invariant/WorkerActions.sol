// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HandlerBase} from "./HandlerBase.sol";

/// @notice The handler's worker actions on the registry: register, add stake, unstake, withdraw the
/// unbonded stake, leave, open and close to new jobs.
abstract contract WorkerActions is HandlerBase {
    function register(uint256 actorSeed, uint256 stake, uint256 hardwareSeed) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _isUnregistered);
        if (!found) return;
        stake = _bound(stake, 0, MAX_STAKE);
        vm.prank(a);
        registry.register{value: stake}(_hardware(hardwareSeed));
        ghost_stakeDeposited += stake;
        calls["register"]++;
    }

    function addStake(uint256 actorSeed, uint256 amount) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _isRegistered);
        if (!found) return;
        amount = _bound(amount, 1, MAX_STAKE);
        vm.prank(a);
        registry.addStake{value: amount}();
        ghost_stakeDeposited += amount;
        calls["addStake"]++;
    }

    function requestUnstake(uint256 actorSeed, uint256 amount) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _hasFreeStake);
        if (!found) return;
        amount = _bound(amount, 1, _freeStake(a));
        vm.prank(a);
        registry.requestUnstake(uint96(amount));
        calls["requestUnstake"]++;
    }

    function withdrawStake(uint256 actorSeed, uint256 armSeed) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _hasUnbonded);
        if (!found) return;
        _withdrawStake(a, armSeed);
        calls["withdrawStake"]++;
    }

    function deregister(uint256 actorSeed) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _canDeregister);
        if (!found) return;
        vm.prank(a);
        registry.deregister();
        calls["deregister"]++;
    }

    function setAvailability(uint256 actorSeed, uint256 flag) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _isRegistered);
        if (!found) return;
        vm.prank(a);
        registry.setAvailability(flag % 4 != 1); // mostly open: closed workers take no jobs
        calls["setAvailability"]++;
    }

    /// @dev Counts the ETH that actually arrived, not what the registry says it sent.
    function _withdrawStake(address a, uint256 armSeed) internal {
        address to = a == address(refuser) ? sink : a;
        if (a == address(reentrant)) {
            _arm(armSeed, address(registry));
            ghost_reentrantPayouts++;
        }
        uint256 before = to.balance;
        vm.prank(a);
        registry.withdrawStake(to);
        ghost_stakeWithdrawn += to.balance - before;
        _afterPayout();
    }
}
