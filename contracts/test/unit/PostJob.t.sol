// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @dev Burns 1% of every transfer between holders, so the market receives less than it asked for.
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee On Transfer", "FOT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 burnt = value / 100;
            super._update(from, address(0), burnt);
            value -= burnt;
        }
        super._update(from, to, value);
    }
}

contract PostJobTest is MarketFixture {
    // ---- happy paths ----

    function test_postJob_escrowsEth() public {
        JobParams memory p = _params(JobMode.Claim);
        (bytes32 jobId,) = _post(p);

        _assertJob(jobId, address(0), JobStatus.Open, CloseReason.None, 0);
        assertEq(address(market).balance, 1 ether, "market holds the budget");
        assertEq(client.balance, 999 ether, "client paid the budget");
        assertEq(usdc.balanceOf(address(market)), 0, "no USDC moved");
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_postJob_escrowsUsdc() public {
        JobParams memory p = _usdcParams(JobMode.Claim);
        (bytes32 jobId,) = _post(p);

        _assertJob(jobId, address(0), JobStatus.Open, CloseReason.None, 0);
        assertEq(usdc.balanceOf(address(market)), 1_000e6, "market holds the budget");
        assertEq(usdc.balanceOf(client), 1_000_000e6 - 1_000e6, "client paid the budget");
        assertEq(address(market).balance, 0, "no ETH moved");
        assertEq(client.balance, 1_000 ether, "client kept its ETH");
        _assertCredits(address(usdc), 0, 0, 0);
    }

    function test_postJob_emitsJobPosted() public {
        JobParams memory p = _params(JobMode.Auction);
        JobTerms memory t = _terms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));

        vm.expectEmit(true, true, true, true, address(market));
        emit JobPosted(jobId, client, address(0), t, spec);
        vm.prank(client);
        assertEq(market.postJob{value: 1 ether}(p, spec), jobId);
    }

    function test_postJob_emitsJobPostedForUsdc() public {
        JobParams memory p = _usdcParams(JobMode.Claim);
        JobTerms memory t = _terms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));

        vm.expectEmit(true, true, true, true, address(market));
        emit JobPosted(jobId, client, address(usdc), t, spec);
        vm.prank(client);
        assertEq(market.postJob(p, spec), jobId);
    }

    function test_postJob_completesTermsWithDefaultArbiterAndCurrentFee() public {
        vm.prank(owner);
        market.setFee(250);
        JobParams memory p = _params(JobMode.Claim);
        JobTerms memory t = _terms(p, client, spec);
        assertEq(t.arbiter, arbiter);
        assertEq(t.feeBps, 250);
        assertEq(t.client, client);
        assertEq(t.specHash, keccak256(spec));

        vm.expectEmit(true, true, true, true, address(market));
        emit JobPosted(keccak256(abi.encode(t)), client, address(0), t, spec);
        _post(p);
    }

    function test_postJob_keepsFeeFixedWhenFeeChangesLater() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.prank(owner);
        market.setFee(1_000);

        // The stored job still answers to the terms with the fee at posting.
        assertEq(t.feeBps, FEE_BPS);
        assertEq(market.jobIdOf(t), jobId);
        vm.prank(client);
        market.cancelJob(t);
        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Cancelled, 0);
    }

    function test_postJob_usesAllowListedCustomArbiter() public {
        address custom = makeAddr("custom arbiter");
        vm.prank(owner);
        market.setArbiter(custom, true);
        JobParams memory p = _params(JobMode.Claim);
        p.arbiter = custom;
        (, JobTerms memory t) = _post(p);
        assertEq(t.arbiter, custom);
    }

    function test_postJob_acceptsSpecOfMaxSize() public {
        JobParams memory p = _params(JobMode.Claim);
        bytes memory big = new bytes(8192);
        JobTerms memory t = _terms(p, client, big);
        vm.prank(client);
        bytes32 jobId = market.postJob{value: 1 ether}(p, big);
        assertEq(jobId, keccak256(abi.encode(t)));
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Open));
    }

    function test_postJob_acceptsBoundaryWindows() public {
        JobParams memory p = _params(JobMode.Claim);
        p.openUntil = uint40(block.timestamp);
        p.executionTimeout = 1;
        p.challengeWindow = 0;
        _post(p);

        p.openUntil = uint40(block.timestamp + 90 days);
        p.executionTimeout = 30 days;
        p.challengeWindow = 30 days;
        _post(p);
    }

    function test_postJob_allowsSameTermsWithAnotherSalt() public {
        JobParams memory p = _params(JobMode.Claim);
        (bytes32 first,) = _post(p);
        p.salt = 1;
        (bytes32 second,) = _post(p);
        assertTrue(first != second);
    }

    function test_postJob_allowsSameParamsFromAnotherClient() public {
        JobParams memory p = _params(JobMode.Claim);
        (bytes32 first,) = _post(p);
        vm.prank(stranger);
        bytes32 second = market.postJob{value: 1 ether}(p, spec);
        assertEq(second, keccak256(abi.encode(_terms(p, stranger, spec))));
        assertTrue(first != second);
    }

    // ---- reverts ----

    function test_postJob_revertsIfSpecTooLarge() public {
        JobParams memory p = _params(JobMode.Claim);
        vm.expectRevert(abi.encodeWithSelector(SpecTooLarge.selector, 8193, 8192));
        vm.prank(client);
        market.postJob{value: 1 ether}(p, new bytes(8193));
    }

    function test_postJob_revertsIfZeroBudget() public {
        JobParams memory p = _params(JobMode.Claim);
        p.budget = 0;
        _expectPostReverts(p, 0, abi.encodeWithSelector(ZeroBudget.selector));
    }

    function test_postJob_revertsIfTokenNotAllowed() public {
        TestUSDC other = new TestUSDC();
        JobParams memory p = _usdcParams(JobMode.Claim);
        p.token = address(other);
        _expectPostReverts(p, 0, abi.encodeWithSelector(TokenNotAllowed.selector, address(other)));
    }

    function test_postJob_revertsIfTokenRemovedFromAllowList() public {
        vm.prank(owner);
        market.setTokenAllowed(address(usdc), false);
        JobParams memory p = _usdcParams(JobMode.Claim);
        _expectPostReverts(p, 0, abi.encodeWithSelector(TokenNotAllowed.selector, address(usdc)));
    }

    function test_postJob_revertsIfArbiterNotAllowed() public {
        JobParams memory p = _params(JobMode.Claim);
        p.arbiter = stranger;
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(ArbiterNotAllowed.selector, stranger));
    }

    function test_postJob_revertsIfOpenUntilInThePast() public {
        JobParams memory p = _params(JobMode.Claim);
        p.openUntil = uint40(START - 1);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidOpenUntil.selector, START - 1, START));
    }

    function test_postJob_revertsIfOpenUntilTooFar() public {
        JobParams memory p = _params(JobMode.Claim);
        p.openUntil = uint40(START + 90 days + 1);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidOpenUntil.selector, START + 90 days + 1, START));
    }

    function test_postJob_revertsIfExecutionTimeoutZero() public {
        JobParams memory p = _params(JobMode.Claim);
        p.executionTimeout = 0;
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidExecutionTimeout.selector, 0));
    }

    function test_postJob_revertsIfExecutionTimeoutTooLong() public {
        JobParams memory p = _params(JobMode.Claim);
        p.executionTimeout = 30 days + 1;
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidExecutionTimeout.selector, 30 days + 1));
    }

    function test_postJob_revertsIfChallengeWindowTooLong() public {
        JobParams memory p = _params(JobMode.Claim);
        p.challengeWindow = 30 days + 1;
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidChallengeWindow.selector, 30 days + 1));
    }

    function test_postJob_revertsIfJobExists() public {
        JobParams memory p = _params(JobMode.Claim);
        (bytes32 jobId,) = _post(p);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(JobExists.selector, jobId));
    }

    function test_postJob_revertsIfJobExistsAfterClosing() public {
        JobParams memory p = _params(JobMode.Claim);
        (bytes32 jobId, JobTerms memory t) = _post(p);
        vm.prank(client);
        market.cancelJob(t);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(JobExists.selector, jobId));
    }

    function test_postJob_revertsIfEthValueTooLow() public {
        JobParams memory p = _params(JobMode.Claim);
        _expectPostReverts(p, 1 ether - 1, abi.encodeWithSelector(ValueMismatch.selector, 1 ether, 1 ether - 1));
    }

    function test_postJob_revertsIfEthValueTooHigh() public {
        JobParams memory p = _params(JobMode.Claim);
        _expectPostReverts(p, 2 ether, abi.encodeWithSelector(ValueMismatch.selector, 1 ether, 2 ether));
    }

    function test_postJob_revertsIfValueSentWithToken() public {
        JobParams memory p = _usdcParams(JobMode.Claim);
        _expectPostReverts(p, 1, abi.encodeWithSelector(ValueMismatch.selector, 0, 1));
    }

    function test_postJob_revertsIfAllowanceTooLow() public {
        vm.prank(client);
        usdc.approve(address(market), 999e6);
        JobParams memory p = _usdcParams(JobMode.Claim);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(market), 999e6, 1_000e6)
        );
        vm.prank(client);
        market.postJob(p, spec);
    }

    function test_postJob_revertsIfTokenTakesAFee() public {
        FeeOnTransferToken fot = new FeeOnTransferToken();
        fot.mint(client, 1_000e6);
        vm.prank(client);
        fot.approve(address(market), type(uint256).max);

        JobParams memory p = _usdcParams(JobMode.Claim);
        p.token = address(fot);
        _expectPostReverts(p, 0, abi.encodeWithSelector(TokenNotAllowed.selector, address(fot)));

        vm.prank(owner);
        market.setTokenAllowed(address(fot), true);
        _expectPostReverts(p, 0, abi.encodeWithSelector(TransferAmountMismatch.selector, address(fot), 1_000e6, 990e6));
    }
}
