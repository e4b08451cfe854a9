// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelFile, ModelKind, ModelParams, PoolMemberState} from "../../src/interfaces/ILoomTypes.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice The handler's actions on the model hub and the registry's pools: actors publish models (new
/// versions of their own too, at other fees) and retire them; create pools, change their fees, join,
/// ask to join, get approved or removed, and leave. Jobs that use models or are restricted to a pool are
/// posted and run by SingleJobActions and ReplicatedJobActions.
abstract contract ModelAndPoolActions is HandlerBase {
    uint256 internal constant MAX_MODELS = 24;
    uint256 internal constant MAX_POOLS = 4;
    uint256 internal constant MAX_ETH_MODEL_FEE = 0.5 ether;
    uint256 internal constant MAX_USDC_MODEL_FEE = 5_000e6;

    /// @param flags bit 0: fee in USDC instead of ETH; bits 1-2 == 0: free; bits 3-4: the kind (mod 3);
    /// bit 5: a new version of the creator's latest model.
    function publish(uint256 actorSeed, uint256 fee, uint256 flags) external recordsLogs {
        if (_models.length >= MAX_MODELS) return;
        address creator = _actorAt(actorSeed);
        ModelParams memory m;
        m.name = string.concat("model-", vm.toString(_models.length));
        m.version = "1";
        m.kind = ModelKind((flags >> 3) % 3);
        if (m.kind == ModelKind.Image) {
            m.image = "ghcr.io/loom/runtime@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        } else {
            m.files = new ModelFile[](1);
            m.files[0] = ModelFile(keccak256(abi.encode(_models.length)), 1_000, "weights.bin");
        }
        m.token = flags & 1 == 0 ? address(0) : address(usdc);
        m.fee = (flags >> 1) % 4 == 0 ? 0 : uint96(_bound(fee, 1, m.token == address(0) ? MAX_ETH_MODEL_FEE : MAX_USDC_MODEL_FEE));
        if ((flags >> 5) % 2 == 1) m.previous = _latestModelOf(creator);
        vm.prank(creator);
        uint32 id = models.publish(m);
        require(id == _models.length + 1, "handler: model ids differ from the hub's");
        _models.push(TrackedModel({creator: creator, fee: m.fee, token: m.token, retired: false}));
        calls["publish"]++;
    }

    function retire(uint256 modelSeed) external recordsLogs {
        uint256 n = _models.length;
        for (uint256 k; k < n; k++) {
            uint256 i = (modelSeed % n + k) % n;
            if (_models[i].retired) continue;
            vm.prank(_models[i].creator);
            models.retire(uint32(i + 1));
            _models[i].retired = true;
            calls["retire"]++;
            return;
        }
    }

    function createPool(uint256 actorSeed, uint256 feeBps, bool approvalRequired) external recordsLogs {
        if (_pools.length >= MAX_POOLS) return;
        address operator = _actorAt(actorSeed);
        feeBps = _bound(feeBps, 0, registry.MAX_POOL_FEE_BPS());
        vm.prank(operator);
        uint64 pool = registry.createPool("pool", "ipfs://pool", uint16(feeBps), approvalRequired);
        require(pool == _pools.length + 1, "handler: pool ids differ from the registry's");
        _pools.push(TrackedPool({operator: operator, feeBps: uint16(feeBps), approvalRequired: approvalRequired}));
        calls["createPool"]++;
    }

    /// @dev Jobs already assigned keep the fee they were assigned with: the logs are checked against
    /// the fee the model recorded at assignment.
    function setPoolFee(uint256 poolSeed, uint256 feeBps) external recordsLogs {
        if (_pools.length == 0) return;
        uint256 i = poolSeed % _pools.length;
        feeBps = _bound(feeBps, 0, registry.MAX_POOL_FEE_BPS());
        vm.prank(_pools[i].operator);
        registry.setPoolFee(uint64(i + 1), uint16(feeBps));
        _pools[i].feeBps = uint16(feeBps);
        calls["setPoolFee"]++;
    }

    /// @dev A registered actor in no pool, holding no pool job, joins (or asks to join) a pool.
    function joinPool(uint256 actorSeed, uint256 poolSeed) external recordsLogs {
        if (_pools.length == 0) return;
        (bool found, address a) = _findActor(actorSeed, _canJoin);
        if (!found) return;
        uint256 i = poolSeed % _pools.length;
        vm.prank(a);
        registry.joinPool(uint64(i + 1));
        calls[_pools[i].approvalRequired ? bytes32("joinPoolRequested") : bytes32("joinPool")]++;
    }

    function approveMember(uint256 actorSeed) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _hasRequested);
        if (!found) return;
        (uint64 pool,,) = registry.memberships(a);
        vm.prank(_pools[pool - 1].operator);
        registry.approveMember(pool, a);
        calls["approveMember"]++;
    }

    /// @dev The operator removes a member (even one holding pool jobs, which still pay it) or refuses a request.
    function removeMember(uint256 actorSeed) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _isInAPool);
        if (!found) return;
        (uint64 pool,,) = registry.memberships(a);
        vm.prank(_pools[pool - 1].operator);
        registry.removeMember(pool, a);
        calls["removeMember"]++;
    }

    /// @dev A member leaves (at once, or when its pool jobs close), or withdraws its request.
    function leavePool(uint256 actorSeed) external recordsLogs {
        (bool found, address a) = _findActor(actorSeed, _canLeave);
        if (!found) return;
        vm.prank(a);
        registry.leavePool();
        calls["leavePool"]++;
    }

    // ---- filters ----

    function _latestModelOf(address creator) private view returns (uint32) {
        for (uint256 i = _models.length; i > 0; i--) {
            if (_models[i - 1].creator == creator) return uint32(i);
        }
        return 0;
    }

    function _canJoin(address a) private view returns (bool) {
        (, PoolMemberState state, uint32 activeJobs) = registry.memberships(a);
        return _isRegistered(a) && state == PoolMemberState.None && activeJobs == 0;
    }

    function _hasRequested(address a) private view returns (bool) {
        (, PoolMemberState state,) = registry.memberships(a);
        return state == PoolMemberState.Requested;
    }

    function _isInAPool(address a) private view returns (bool) {
        (, PoolMemberState state,) = registry.memberships(a);
        return state != PoolMemberState.None;
    }

    function _canLeave(address a) private view returns (bool) {
        (, PoolMemberState state,) = registry.memberships(a);
        return state == PoolMemberState.Member || state == PoolMemberState.Requested;
    }
}
