// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {JobMode, JobParams, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

contract JobIdOfTest is MarketFixture {
    function test_jobIdOf_equalsIdOfEthClaimJob() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        assertEq(market.jobIdOf(t), jobId);
    }

    function test_jobIdOf_equalsIdOfUsdcAuctionJob() public {
        (bytes32 jobId, JobTerms memory t) = _post(_usdcParams(JobMode.Auction));
        assertEq(market.jobIdOf(t), jobId);
    }

    function test_jobIdOf_equalsIdWithCustomArbiterAndRequirements() public {
        address custom = makeAddr("custom arbiter");
        vm.prank(owner);
        market.setArbiter(custom, true);
        JobParams memory p = _params(JobMode.Claim);
        p.arbiter = custom;
        p.minGpuCount = 8;
        p.minVramMiB = 81_920;
        p.gpuModel = H100;
        p.salt = type(uint64).max;
        (bytes32 jobId, JobTerms memory t) = _post(p);
        assertEq(market.jobIdOf(t), jobId);
    }

    function test_jobIdOf_equalsIdReturnedByPostJob() public {
        JobParams memory p = _params(JobMode.Auction);
        bytes memory otherSpec = bytes('{"version":1,"image":"loom/cpu"}');
        JobTerms memory t = _terms(p, stranger, otherSpec);
        vm.prank(stranger);
        bytes32 jobId = market.postJob{value: p.budget}(p, otherSpec);
        assertEq(market.jobIdOf(t), jobId);
    }

    function test_jobIdOf_differsWithSaltOrSpec() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        t.salt = 1;
        assertTrue(market.jobIdOf(t) != jobId, "salt");
        t.salt = 0;
        assertEq(market.jobIdOf(t), jobId);
        t.specHash = keccak256("another spec");
        assertTrue(market.jobIdOf(t) != jobId, "spec");
    }

    function test_jobIdOf_isHashOfEncodedTerms() public view {
        JobTerms memory t = _terms(_params(JobMode.Claim), client, spec);
        assertEq(market.jobIdOf(t), keccak256(abi.encode(t)));
    }
}
