// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ILoomErrors} from "../../src/interfaces/ILoomErrors.sol";
import {ILoomMarketEvents} from "../../src/interfaces/ILoomMarketEvents.sol";
import {JobMode, JobParams, JobStatus, JobTerms, PaymentAuthorization} from "../../src/interfaces/ILoomTypes.sol";

/// @dev A plain ERC-20 (no EIP-3009), allow-listed: posting for a client must refuse it by name.
contract PlainToken is ERC20 {
    constructor() ERC20("Plain", "PLN") {}
}

/// @dev Gasless posting: a client who holds only the token signs a receive-authorization bound to the
/// job's terms, and anyone submits it.
contract PostJobForTest is MarketFixture {
    bytes32 constant RECEIVE_TYPEHASH =
        keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");

    uint256 payerKey = 0xC11E47;
    address payer;
    address relayer = makeAddr("relayer");

    function setUp() public override {
        super.setUp();
        payer = vm.addr(payerKey);
        usdc.mint(payer, 1_000e6);
    }

    function _usdc() internal view returns (JobParams memory p) {
        p = _params(JobMode.Claim);
        p.token = address(usdc);
        p.budget = 25e6;
    }

    function _authorize(uint256 key, bytes32 nonce, uint256 value, uint256 validBefore) internal view returns (PaymentAuthorization memory) {
        address from = vm.addr(key);
        bytes32 structHash = keccak256(abi.encode(RECEIVE_TYPEHASH, from, address(market), value, 0, validBefore, nonce));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
        return PaymentAuthorization({validAfter: 0, validBefore: validBefore, signature: abi.encodePacked(r, s, v)});
    }

    /// @dev The authorization a client signs for `p`: the nonce is the id of the job it would post.
    function _signed(JobParams memory p) internal view returns (bytes32 jobId, JobTerms memory t, PaymentAuthorization memory a) {
        t = _terms(p, payer, spec);
        jobId = keccak256(abi.encode(t));
        a = _authorize(payerKey, jobId, p.budget, block.timestamp + 10 minutes);
    }

    function test_postJobFor_postsTheClientsJobAndEscrowsItsBudget() public {
        JobParams memory p = _usdc();
        (bytes32 jobId, JobTerms memory t, PaymentAuthorization memory a) = _signed(p);
        uint256 relayerEth = relayer.balance;

        vm.expectEmit(address(market));
        emit ILoomMarketEvents.JobPosted(jobId, payer, address(usdc), t, spec);
        vm.prank(relayer);
        assertEq(market.postJobFor(p, spec, payer, a), jobId, "the same id postJob by the client gives");

        assertEq(usdc.balanceOf(address(market)), p.budget, "budget escrowed");
        assertEq(usdc.balanceOf(payer), 1_000e6 - p.budget, "taken from the signer");
        assertEq(usdc.balanceOf(relayer), 0, "the submitter pays nothing but gas");
        assertEq(relayer.balance, relayerEth);
        assertTrue(_status(jobId) == JobStatus.Open);

        // The client owns the job: it may cancel it and is refunded.
        vm.prank(payer);
        market.cancelJob(t);
        assertEq(market.credits(address(usdc), payer), p.budget);
    }

    function test_postJobFor_aSecondSubmissionOfTheSameAuthorizationIsRefused() public {
        JobParams memory p = _usdc();
        (bytes32 jobId,, PaymentAuthorization memory a) = _signed(p);
        vm.prank(relayer);
        market.postJobFor(p, spec, payer, a);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ILoomErrors.JobExists.selector, jobId));
        market.postJobFor(p, spec, payer, a);
        assertEq(usdc.balanceOf(address(market)), p.budget, "escrowed once");
    }

    function test_postJobFor_otherTermsCannotUseTheAuthorization() public {
        JobParams memory p = _usdc();
        (,, PaymentAuthorization memory a) = _signed(p);

        // A front-runner changes the terms (a cheaper job, another salt, itself as client): the nonce
        // the market derives is another job's, and the token refuses the signature.
        JobParams memory cheaper = _usdc();
        cheaper.budget = 1e6;
        JobParams memory otherSalt = _usdc();
        otherSalt.salt = 7;
        vm.startPrank(stranger);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        market.postJobFor(cheaper, spec, payer, a);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        market.postJobFor(otherSalt, spec, payer, a);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        market.postJobFor(p, bytes('{"version":1}'), payer, a);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        market.postJobFor(p, spec, stranger, a);
        vm.stopPrank();
        assertEq(usdc.balanceOf(payer), 1_000e6, "nothing moved");
    }

    function test_postJobFor_aSignatureBySomeoneElseIsRefused() public {
        JobParams memory p = _usdc();
        JobTerms memory t = _terms(p, payer, spec);
        PaymentAuthorization memory a = _authorize(0xBAD, keccak256(abi.encode(t)), p.budget, block.timestamp + 10 minutes);
        vm.prank(relayer);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        market.postJobFor(p, spec, payer, a);
    }

    function test_postJobFor_anExpiredAuthorizationIsRefused() public {
        JobParams memory p = _usdc();
        (bytes32 jobId,, PaymentAuthorization memory a) = _signed(p);
        vm.warp(a.validBefore); // still inside the job's open period, past the authorization's
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009InvalidAuthorizationTime.selector, 0, a.validBefore));
        market.postJobFor(p, spec, payer, a);
        assertTrue(_status(jobId) == JobStatus.None, "not posted");
    }

    function test_postJobFor_refusesEthAndTokensWithoutAuthorization() public {
        JobParams memory eth = _params(JobMode.Claim);
        (,, PaymentAuthorization memory a) = _signed(_usdc());
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ILoomErrors.AuthorizationUnsupported.selector, address(0)));
        market.postJobFor(eth, spec, payer, a);

        PlainToken plain = new PlainToken();
        vm.prank(owner);
        market.setTokenAllowed(address(plain), true);
        JobParams memory p = _usdc();
        p.token = address(plain);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ILoomErrors.AuthorizationUnsupported.selector, address(plain)));
        market.postJobFor(p, spec, payer, a);
    }

    function test_postJobFor_checksTheParametersAsPostJobDoes() public {
        JobParams memory p = _usdc();
        p.budget = 0;
        (,, PaymentAuthorization memory a) = _signed(_usdc());
        vm.prank(relayer);
        vm.expectRevert(ILoomErrors.ZeroBudget.selector);
        market.postJobFor(p, spec, payer, a);
    }
}
