// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {JobParams, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @dev The terms LoomMarket completes `p` into when `poster` posts it: what the test fixture, the invariant
/// handler and the bench driver need to call the market about a job and to predict its id. `arbiter` is the
/// one the market picks (p.arbiter, or the default arbiter when p.arbiter is zero); `feeBps` is the
/// market's fee at posting.
/// Fields are assigned one by one because a 15-field struct literal does not fit the stack.
function jobTermsOf(JobParams memory p, address poster, address arbiter, uint16 feeBps, bytes32 specHash)
    pure
    returns (JobTerms memory t)
{
    t.client = poster;
    t.token = p.token;
    t.arbiter = arbiter;
    t.budget = p.budget;
    t.collateral = p.collateral;
    t.feeBps = feeBps;
    t.mode = p.mode;
    t.offeredTo = p.offeredTo;
    t.openUntil = p.openUntil;
    t.executionTimeout = p.executionTimeout;
    t.challengeWindow = p.challengeWindow;
    t.minGpuCount = p.minGpuCount;
    t.minVramMiB = p.minVramMiB;
    t.gpuModel = p.gpuModel;
    t.specHash = specHash;
    t.salt = p.salt;
}
