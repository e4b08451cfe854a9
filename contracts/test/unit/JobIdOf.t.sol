// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

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

    /// The id is hashed from the terms' words where they lie; every word counts (the salt is the last).
    function testFuzz_jobIdOf_isHashOfEncodedTerms(
        address client_,
        uint96 budget,
        bool auction,
        uint40 openUntil,
        bytes32 specHash,
        uint64 salt
    ) public view {
        JobTerms memory t = _terms(_params(auction ? JobMode.Auction : JobMode.Claim), client_, spec);
        t.budget = budget;
        t.openUntil = openUntil;
        t.specHash = specHash;
        t.salt = salt;
        assertEq(market.jobIdOf(t), keccak256(abi.encode(t)));
    }

    /// Terms with dirty high bits in a field are not the posted terms: the call finds no job.
    function test_claimJob_withDirtyTermsFindsNoJob() public {
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        bytes memory data = abi.encodeCall(market.claimJob, (t));
        data[4] = 0x01; // the first byte of the client's word, above its 20 bytes
        bytes memory words = new bytes(data.length - 4);
        for (uint256 i; i < words.length; i++) {
            words[i] = data[i + 4];
        }
        vm.prank(worker);
        (bool ok, bytes memory reason) = address(market).call(data);
        assertFalse(ok, "claimed with dirty terms");
        assertEq(reason, abi.encodeWithSelector(JobNotFound.selector, keccak256(words)));
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Open), "the posted job is untouched");
    }
}
