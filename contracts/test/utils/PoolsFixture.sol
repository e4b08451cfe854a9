// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "./ReplicatedFixture.sol";
import {JobMode, JobParams, PoolMemberState} from "../../src/interfaces/ILoomTypes.sol";

/// @notice ReplicatedFixture plus a pool operator and helpers that create pools, add members and
/// post jobs restricted to a pool.
abstract contract PoolsFixture is ReplicatedFixture {
    address internal operator = makeAddr("operator");

    /// @dev The operator creates a pool with `feeBps`; returns its id.
    function _createPool(uint16 feeBps, bool approvalRequired) internal returns (uint64 pool) {
        vm.prank(operator);
        pool = registry.createPool("h100-collective", "ipfs://pool", feeBps, approvalRequired);
    }

    /// @dev `who` (registered with 1 ETH stake unless it is already) joins open pool `pool`.
    function _joinPool(address who, uint64 pool) internal {
        (,,,, bool registered,) = registry.workers(who);
        if (!registered) _register(who, 1 ether);
        vm.prank(who);
        registry.joinPool(pool);
    }

    /// @dev `_params(Pool)` restricted to `pool`: the pool id as `offeredTo`.
    function _poolParams(uint64 pool) internal view returns (JobParams memory p) {
        p = _params(JobMode.Pool);
        p.offeredTo = address(uint160(pool));
    }

    function _assertMembership(address who, uint64 pool, PoolMemberState state, uint32 activeJobs) internal view {
        (uint64 p, PoolMemberState s, uint32 a) = registry.memberships(who);
        assertEq(p, pool, "membership pool");
        assertEq(uint8(s), uint8(state), "membership state");
        assertEq(a, activeJobs, "pool jobs held");
    }

    /// @dev The pool fee a single job was assigned with.
    function _poolFeeOf(bytes32 jobId) internal view returns (uint16 feeBps) {
        (,,,, feeBps,) = market.jobs(jobId);
    }
}
