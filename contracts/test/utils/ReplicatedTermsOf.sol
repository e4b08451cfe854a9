// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedParams, ReplicatedTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @dev The terms LoomReplicatedMarket completes `p` into when `poster` posts it: what the fixtures and
/// handlers need to call the replicated market about a job and to predict its id. `feeBps` is the
/// market's fee at posting.
/// Fields are assigned one by one because a 15-field struct literal does not fit the stack.
function replicatedTermsOf(ReplicatedParams memory p, address poster, uint16 feeBps, bytes32 specHash)
    pure
    returns (ReplicatedTerms memory t)
{
    t.client = poster;
    t.token = p.token;
    t.price = p.price;
    t.collateral = p.collateral;
    t.feeBps = feeBps;
    t.replicas = p.replicas;
    t.quorum = p.quorum;
    t.openUntil = p.openUntil;
    t.commitWindow = p.commitWindow;
    t.revealWindow = p.revealWindow;
    t.minGpuCount = p.minGpuCount;
    t.minVramMiB = p.minVramMiB;
    t.gpuModel = p.gpuModel;
    t.specHash = specHash;
    t.salt = p.salt;
}
