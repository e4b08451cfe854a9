// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoolMemberState} from "../interfaces/ILoomTypes.sol";
import {ILoomRegistry} from "../interfaces/ILoomRegistry.sol";

/// @notice Worker pools, kept in the registry because membership is a worker's, like its stake: an
/// operator creates a pool with a fee; workers join (or ask to) and leave; markets restrict jobs to a
/// pool, count each member's pool jobs through `lock`/`unlock`, and credit the operator the fee the
/// job was assigned with. A worker is in one pool at a time.
abstract contract WorkerPools is ILoomRegistry {
    /// @notice Hard cap on a pool's fee: 20% of a member's payout.
    uint16 public constant MAX_POOL_FEE_BPS = 2_000;
    /// @notice Longest pool name.
    uint256 public constant MAX_POOL_NAME_BYTES = 64;

    /// @dev One slot. A pool exists when its operator is set.
    struct Pool {
        address operator;
        uint16 feeBps;
        bool approvalRequired;
    }

    /// @dev One slot. `activeJobs` counts pool jobs held, whatever the state: a removed member's jobs
    /// still close through the pool.
    struct Membership {
        uint64 pool;
        PoolMemberState state;
        uint32 activeJobs;
    }

    /// @notice How many pools exist; pool ids run from 1 to this.
    uint64 public poolCount;
    mapping(uint64 pool => Pool) public pools;
    mapping(address worker => Membership) public memberships;

    /// @inheritdoc ILoomRegistry
    function createPool(string calldata name, string calldata metadataURI, uint16 feeBps, bool approvalRequired)
        external
        returns (uint64 pool)
    {
        if (bytes(name).length == 0) revert EmptyName();
        if (bytes(name).length > MAX_POOL_NAME_BYTES) revert TextTooLong(bytes(name).length, MAX_POOL_NAME_BYTES);
        _checkText(bytes(metadataURI).length);
        _checkFee(feeBps);
        pool = ++poolCount;
        pools[pool] = Pool(msg.sender, feeBps, approvalRequired);
        emit PoolCreated(pool, msg.sender, name, metadataURI, feeBps, approvalRequired);
    }

    /// @inheritdoc ILoomRegistry
    function setPoolFee(uint64 pool, uint16 feeBps) external {
        _operated(pool);
        _checkFee(feeBps);
        pools[pool].feeBps = feeBps;
        emit PoolFeeSet(pool, feeBps);
    }

    /// @inheritdoc ILoomRegistry
    function joinPool(uint64 pool) external {
        Pool memory p = _pool(pool);
        _requireRegistered(msg.sender);
        Membership storage m = memberships[msg.sender];
        if (m.state != PoolMemberState.None) revert PoolMembershipExists(msg.sender, m.pool);
        if (m.activeJobs != 0) revert PoolJobsActive(msg.sender, m.activeJobs);
        m.pool = pool;
        if (p.approvalRequired) {
            m.state = PoolMemberState.Requested;
            emit PoolJoinRequested(pool, msg.sender);
        } else {
            m.state = PoolMemberState.Member;
            emit PoolMemberAdded(pool, msg.sender);
        }
    }

    /// @inheritdoc ILoomRegistry
    function approveMember(uint64 pool, address worker) external {
        _operated(pool);
        Membership storage m = memberships[worker];
        if (m.pool != pool || m.state != PoolMemberState.Requested) revert NoJoinRequest(pool, worker);
        m.state = PoolMemberState.Member;
        emit PoolMemberAdded(pool, worker);
    }

    /// @inheritdoc ILoomRegistry
    function removeMember(uint64 pool, address worker) external {
        _operated(pool);
        Membership storage m = memberships[worker];
        if (m.pool != pool || m.state == PoolMemberState.None) revert NotPoolMember(pool, worker);
        m.state = PoolMemberState.None;
        emit PoolMemberRemoved(pool, worker);
    }

    /// @inheritdoc ILoomRegistry
    function leavePool() external {
        Membership storage m = memberships[msg.sender];
        PoolMemberState state = m.state;
        if (state == PoolMemberState.None || state == PoolMemberState.Leaving) revert NotPoolMember(m.pool, msg.sender);
        if (state == PoolMemberState.Member && m.activeJobs != 0) {
            m.state = PoolMemberState.Leaving;
            emit PoolLeaveRequested(m.pool, msg.sender);
        } else {
            m.state = PoolMemberState.None;
            emit PoolMemberLeft(m.pool, msg.sender);
        }
    }

    /// @inheritdoc ILoomRegistry
    function checkPool(uint64 pool) external view {
        _pool(pool);
    }

    /// @inheritdoc ILoomRegistry
    function startPoolJob(uint64 pool, address worker) external returns (uint16 feeBps) {
        if (!_isTrusted(msg.sender)) revert MarketNotTrusted(msg.sender);
        Membership storage m = memberships[worker];
        if (m.pool != pool || m.state != PoolMemberState.Member) revert NotPoolMember(pool, worker);
        m.activeJobs += 1;
        return pools[pool].feeBps;
    }

    /// @inheritdoc ILoomRegistry
    /// @dev Never reverts, so that no job's close can be blocked here. Only a trusted market counted a
    /// pool job (`startPoolJob`), so only one ends it: a market no longer trusted still closes its jobs
    /// and pays the operator, but its members' counts stay up (a member removed from the pool can then
    /// not join another).
    function endPoolJob(uint64 pool, address worker) external returns (address operator) {
        Membership storage m = memberships[worker];
        uint32 active = m.activeJobs;
        if (_isTrusted(msg.sender) && active != 0) {
            m.activeJobs = --active;
            if (active == 0 && m.state == PoolMemberState.Leaving) {
                m.state = PoolMemberState.None;
                emit PoolMemberLeft(pool, worker);
            }
        }
        return pools[pool].operator;
    }

    function _pool(uint64 pool) private view returns (Pool memory p) {
        p = pools[pool];
        if (p.operator == address(0)) revert PoolNotFound(pool);
    }

    function _operated(uint64 pool) private view {
        if (_pool(pool).operator != msg.sender) revert NotPoolOperator(pool, msg.sender);
    }

    function _checkFee(uint16 feeBps) private pure {
        if (feeBps > MAX_POOL_FEE_BPS) revert FeeTooHigh(feeBps, MAX_POOL_FEE_BPS);
    }

    function _requireRegistered(address worker) internal view virtual;

    function _isTrusted(address market) internal view virtual returns (bool);

    function _checkText(uint256 length) internal pure virtual;
}
