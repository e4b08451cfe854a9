// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {LoomMarket} from "../../src/LoomMarket.sol";
import {LoomRegistry} from "../../src/LoomRegistry.sol";
import {JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice The markets the registry trusts: the initial set, and changes behind TRUST_DELAY.
contract RegistryTrustTest is MarketFixture {
    uint256 internal trustDelay;
    LoomMarket internal newMarket;

    function setUp() public override {
        super.setUp();
        trustDelay = registry.TRUST_DELAY();
        newMarket = new LoomMarket(registry, owner, treasury, arbiter, FEE_BPS);
    }

    // ---- constructor ----

    function test_constructor_trustsTheInitialMarkets() public view {
        assertTrue(registry.trusted(address(market)), "single-worker market trusted");
        assertTrue(registry.trusted(address(replicated)), "replicated market trusted");
        assertFalse(registry.trusted(address(newMarket)), "a market deployed later is not");
        assertFalse(registry.trusted(stranger), "nor is anyone else");
        assertEq(registry.owner(), owner, "owner");
    }

    function test_constructor_emitsMarketTrustSetForEach() public {
        address[] memory markets = new address[](2);
        markets[0] = makeAddr("marketA");
        markets[1] = makeAddr("marketB");
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));

        vm.expectEmit(true, true, true, true, predicted);
        emit MarketTrustSet(markets[0], true);
        vm.expectEmit(true, true, true, true, predicted);
        emit MarketTrustSet(markets[1], true);
        LoomRegistry fresh = new LoomRegistry(owner, markets);

        assertEq(address(fresh), predicted, "deployed where predicted");
        assertTrue(fresh.trusted(markets[0]) && fresh.trusted(markets[1]), "both trusted");
    }

    function test_constructor_acceptsNoMarkets() public {
        LoomRegistry fresh = new LoomRegistry(owner, new address[](0));

        assertFalse(fresh.trusted(address(market)), "trusts nothing");
    }

    function test_constructor_revertsIfAMarketIsZero() public {
        address[] memory markets = new address[](2);
        markets[0] = address(market);

        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        new LoomRegistry(owner, markets);
    }

    function test_constructor_revertsIfOwnerZero() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new LoomRegistry(address(0), new address[](0));
    }

    function test_trustDelay_isLongerThanUnbonding() public view {
        assertEq(trustDelay, registry.UNBONDING_PERIOD() + 1 days, "a day longer than unbonding");
    }

    // ---- proposeTrust ----

    function test_proposeTrust_storesAndEmitsProposal() public {
        uint40 effectiveAt = uint40(START + trustDelay);

        vm.expectEmit(true, true, true, true, address(registry));
        emit MarketTrustProposed(address(newMarket), true, effectiveAt);
        vm.prank(owner);
        registry.proposeTrust(address(newMarket), true);

        _assertPending(address(newMarket), true, effectiveAt);
        assertFalse(registry.trusted(address(newMarket)), "not trusted before the delay");
    }

    function test_proposeTrust_toRevokeLeavesTrustUntilApplied() public {
        uint40 effectiveAt = uint40(START + trustDelay);

        vm.expectEmit(true, true, true, true, address(registry));
        emit MarketTrustProposed(address(market), false, effectiveAt);
        vm.prank(owner);
        registry.proposeTrust(address(market), false);

        _assertPending(address(market), false, effectiveAt);
        assertTrue(registry.trusted(address(market)), "still trusted during the delay");
    }

    function test_proposeTrust_replacesPendingProposalAndRestartsDelay() public {
        vm.prank(owner);
        registry.proposeTrust(address(newMarket), true);
        vm.warp(START + 1 days);
        uint40 effectiveAt = uint40(START + 1 days + trustDelay);

        vm.expectEmit(true, true, true, true, address(registry));
        emit MarketTrustProposed(address(newMarket), false, effectiveAt);
        vm.prank(owner);
        registry.proposeTrust(address(newMarket), false);
        _assertPending(address(newMarket), false, effectiveAt);

        // The first proposal's time has come, but it was replaced.
        vm.warp(START + trustDelay);
        vm.expectRevert(
            abi.encodeWithSelector(TrustChangeNotReady.selector, address(newMarket), effectiveAt, START + trustDelay)
        );
        registry.applyTrust(address(newMarket));

        vm.warp(effectiveAt);
        registry.applyTrust(address(newMarket));
        assertFalse(registry.trusted(address(newMarket)), "the replacing proposal applied");
    }

    function test_proposeTrust_revertsIfNotOwner() public {
        _expectRefusedBy(
            address(registry),
            stranger,
            abi.encodeCall(registry.proposeTrust, (address(newMarket), true)),
            abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger)
        );
        _expectRefusedBy(
            address(registry),
            address(market),
            abi.encodeCall(registry.proposeTrust, (address(newMarket), true)),
            abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(market))
        );
    }

    function test_proposeTrust_revertsIfZeroAddress() public {
        _expectRefusedBy(
            address(registry),
            owner,
            abi.encodeCall(registry.proposeTrust, (address(0), true)),
            abi.encodeWithSelector(ZeroAddress.selector)
        );
    }

    // ---- applyTrust ----

    function test_applyTrust_revertsOneSecondBeforeEffective() public {
        _propose(address(newMarket), true);
        uint256 effectiveAt = START + trustDelay;
        vm.warp(effectiveAt - 1);

        _expectRefusedBy(
            address(registry),
            stranger,
            abi.encodeCall(registry.applyTrust, (address(newMarket))),
            abi.encodeWithSelector(TrustChangeNotReady.selector, address(newMarket), effectiveAt, effectiveAt - 1)
        );
        assertFalse(registry.trusted(address(newMarket)), "not trusted");
    }

    function test_applyTrust_byAnyoneAtEffectiveTime() public {
        _propose(address(newMarket), true);
        vm.warp(START + trustDelay);

        vm.expectEmit(true, true, true, true, address(registry));
        emit MarketTrustSet(address(newMarket), true);
        vm.prank(stranger);
        registry.applyTrust(address(newMarket));

        assertTrue(registry.trusted(address(newMarket)), "trusted");
        _assertPending(address(newMarket), false, 0);
    }

    function test_applyTrust_revokes() public {
        _propose(address(market), false);
        vm.warp(START + trustDelay + 1);

        vm.expectEmit(true, true, true, true, address(registry));
        emit MarketTrustSet(address(market), false);
        registry.applyTrust(address(market));

        assertFalse(registry.trusted(address(market)), "no longer trusted");
        assertTrue(registry.trusted(address(replicated)), "the other market keeps its trust");
    }

    function test_applyTrust_revertsIfNothingPending() public {
        _expectRefusedBy(
            address(registry),
            stranger,
            abi.encodeCall(registry.applyTrust, (address(newMarket))),
            abi.encodeWithSelector(NoTrustChangePending.selector, address(newMarket))
        );
    }

    function test_applyTrust_revertsIfAppliedAlready() public {
        _propose(address(newMarket), true);
        vm.warp(START + trustDelay);
        registry.applyTrust(address(newMarket));

        _expectRefusedBy(
            address(registry),
            stranger,
            abi.encodeCall(registry.applyTrust, (address(newMarket))),
            abi.encodeWithSelector(NoTrustChangePending.selector, address(newMarket))
        );
    }

    // ---- what trust allows ----

    function test_applyTrust_letsANewMarketLockStake() public {
        _register(worker, 1 ether);
        JobParams memory p = _params(JobMode.Claim);
        p.openUntil = uint40(START + trustDelay + 1 hours);
        (bytes32 jobId, JobTerms memory t) = _postOn(newMarket, p);

        _expectRefusedBy(
            address(newMarket),
            worker,
            abi.encodeCall(newMarket.claimJob, (t)),
            abi.encodeWithSelector(MarketNotTrusted.selector, address(newMarket))
        );

        _propose(address(newMarket), true);
        vm.warp(START + trustDelay);
        registry.applyTrust(address(newMarket));
        vm.prank(worker);
        newMarket.claimJob(t);

        (, JobStatus status,,,,) = newMarket.jobs(jobId);
        assertEq(uint8(status), uint8(JobStatus.Assigned), "assigned");
        _assertStake(worker, 1 ether, 0.1 ether);
        assertEq(registry.lockedBy(address(newMarket), worker), 0.1 ether, "locked by the new market");
    }

    function test_trustDelay_letsAWorkerLeaveBeforeANewMarketCanLock() public {
        _register(worker, 1 ether);
        _propose(address(newMarket), true);
        // The worker distrusts the new market and leaves at once.
        vm.prank(worker);
        registry.deregister();

        vm.warp(START + registry.UNBONDING_PERIOD());
        uint256 balanceBefore = worker.balance;
        vm.prank(worker);
        registry.withdrawStake(worker);

        assertEq(worker.balance, balanceBefore + 1 ether, "whole stake out");
        assertFalse(registry.trusted(address(newMarket)), "before the new market is trusted");
        vm.expectRevert(
            abi.encodeWithSelector(
                TrustChangeNotReady.selector,
                address(newMarket),
                START + trustDelay,
                START + registry.UNBONDING_PERIOD()
            )
        );
        registry.applyTrust(address(newMarket));
    }

    // ---- helpers ----

    function _propose(address target, bool trusted_) internal {
        vm.prank(owner);
        registry.proposeTrust(target, trusted_);
    }

    function _assertPending(address target, bool trusted_, uint256 effectiveAt) internal view {
        (bool t, uint40 at) = registry.pendingTrust(target);
        assertEq(t, trusted_, "pending trust");
        assertEq(at, effectiveAt, "pending effectiveAt");
    }

    function _postOn(LoomMarket target, JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        t = _terms(p, client, spec);
        vm.prank(client);
        jobId = target.postJob{value: p.budget}(p, spec);
        assertEq(jobId, keccak256(abi.encode(t)), "job id");
    }
}
