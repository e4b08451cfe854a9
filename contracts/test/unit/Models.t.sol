// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelsFixture} from "../utils/ModelsFixture.sol";
import {LoomReplicatedMarket} from "../../src/LoomReplicatedMarket.sol";
import {ILoomModels} from "../../src/interfaces/ILoomModels.sol";
import {ILoomReplicatedMarket} from "../../src/interfaces/ILoomReplicatedMarket.sol";
import {
    CloseReason,
    JobMode,
    JobParams,
    JobTerms,
    ModelFile,
    ModelKind,
    ModelParams,
    ReplicatedParams,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice The model hub: publishing and retiring versions, posting jobs that use models (the budget
/// escrowed in the market, the fees in the hub), and the settlement of the fees when the job closes:
/// creators are paid in proportion to what the worker was paid, the client gets the rest back.
contract ModelsTest is ModelsFixture {
    // ---- publish ----

    function test_publish_storesTheCreatorFeeAndTokenAndEmitsEveryField() public {
        ModelParams memory m = _modelParams(0.05 ether, address(usdc));
        m.kind = ModelKind.Dataset;
        m.files = new ModelFile[](2);
        m.files[0] = ModelFile(sha256("train"), 1_000, "train.parquet");
        m.files[1] = ModelFile(sha256("test"), 200, "test.parquet");
        vm.expectEmit(address(models));
        emit ILoomModels.ModelPublished(1, creator, 0, m);
        assertEq(_publish(creator, m), 1, "first id");

        (address c, uint96 fee, address token, bool retired) = models.models(1);
        assertEq(c, creator, "creator");
        assertEq(fee, 0.05 ether, "fee");
        assertEq(token, address(usdc), "token");
        assertFalse(retired, "not retired");
        assertEq(models.modelCount(), 1, "model count");
    }

    function test_publish_anImageNamesItsImageAndNoFiles() public {
        ModelParams memory m = _imageParams();
        vm.expectEmit(address(models));
        emit ILoomModels.ModelPublished(1, creator, 0, m);
        _publish(creator, m);
    }

    function test_publish_aNewVersionFollowsTheCreatorsPrevious() public {
        uint32 first = _publish(creator, 0.01 ether, address(0));
        ModelParams memory m = _modelParams(0.02 ether, address(0));
        m.version = "1.1";
        m.previous = first;
        vm.expectEmit(address(models));
        emit ILoomModels.ModelPublished(2, creator, first, m);
        assertEq(_publish(creator, m), 2, "a new id");
        (, uint96 oldFee,,) = models.models(first);
        assertEq(oldFee, 0.01 ether, "the first version keeps its fee");
    }

    function test_publish_revertsIfThePreviousIsAnothersModel() public {
        uint32 first = _publish(creator, 0.01 ether, address(0));
        ModelParams memory m = _modelParams(0.02 ether, address(0));
        m.previous = first;
        _expectPublishReverts(creator2, m, abi.encodeWithSelector(NotModelCreator.selector, first, creator2));
    }

    function test_publish_revertsIfThePreviousDoesNotExist() public {
        ModelParams memory m = _modelParams(0, address(0));
        m.previous = 7;
        _expectPublishReverts(creator, m, abi.encodeWithSelector(ModelNotFound.selector, uint32(7)));
    }

    function test_publish_revertsOnEveryBadCombinationOfKindFilesAndImage() public {
        ModelFile[] memory none = new ModelFile[](0);
        ModelFile[] memory one = _modelParams(0, address(0)).files;
        ModelFile[] memory tooMany = new ModelFile[](65);
        for (uint256 i; i < tooMany.length; i++) {
            tooMany[i] = ModelFile(bytes32(i + 1), 1, "f");
        }
        _expectBadContent(ModelKind.Weights, none, "");
        _expectBadContent(ModelKind.Dataset, none, "");
        _expectBadContent(ModelKind.Weights, one, "ghcr.io/loom/app@sha256:00");
        _expectBadContent(ModelKind.Dataset, one, "ghcr.io/loom/app@sha256:00");
        _expectBadContent(ModelKind.Weights, tooMany, "");
        _expectBadContent(ModelKind.Image, none, "");
        _expectBadContent(ModelKind.Image, one, "ghcr.io/loom/app@sha256:00");
        _expectBadContent(ModelKind.Image, one, "");
    }

    function test_publish_takesSixtyFourFiles() public {
        ModelParams memory m = _modelParams(0, address(0));
        m.files = new ModelFile[](64);
        for (uint256 i; i < m.files.length; i++) {
            m.files[i] = ModelFile(bytes32(i + 1), 1, "f");
        }
        assertEq(_publish(creator, m), 1);
    }

    function test_publish_revertsOnTextTooLong() public {
        string memory long = string(new bytes(257));
        string memory longest = string(new bytes(256));
        bytes memory tooLong = abi.encodeWithSelector(TextTooLong.selector, 257, 256);
        ModelParams memory m = _modelParams(0, address(0));
        m.name = long;
        _expectPublishReverts(creator, m, tooLong);
        m = _modelParams(0, address(0));
        m.version = long;
        _expectPublishReverts(creator, m, tooLong);
        m = _modelParams(0, address(0));
        m.licenseURI = long;
        _expectPublishReverts(creator, m, tooLong);
        m = _modelParams(0, address(0));
        m.files[0].path = long;
        _expectPublishReverts(creator, m, tooLong);
        m = _imageParams();
        m.image = long;
        _expectPublishReverts(creator, m, tooLong);

        m.image = longest;
        m.name = longest;
        m.version = longest;
        m.licenseURI = longest;
        assertEq(_publish(creator, m), 1, "256 bytes each are accepted");
    }

    function test_publish_revertsOnAnEmptyName() public {
        ModelParams memory m = _modelParams(0, address(0));
        m.name = "";
        _expectPublishReverts(creator, m, abi.encodeWithSelector(EmptyName.selector));
    }

    // ---- retire ----

    function test_retire_onlyTheCreatorOnce() public {
        uint32 id = _publish(creator, 0.01 ether, address(0));
        _expectRefusedBy(
            address(models), stranger, abi.encodeCall(models.retire, (id)), abi.encodeWithSelector(NotModelCreator.selector, id, stranger)
        );
        vm.expectEmit(address(models));
        emit ILoomModels.ModelRetired(id);
        vm.prank(creator);
        models.retire(id);
        (,,, bool retired) = models.models(id);
        assertTrue(retired, "retired");
        _expectRefusedBy(
            address(models), creator, abi.encodeCall(models.retire, (id)), abi.encodeWithSelector(ModelIsRetired.selector, id)
        );
        _expectRefusedBy(
            address(models), creator, abi.encodeCall(models.retire, (9)), abi.encodeWithSelector(ModelNotFound.selector, 9)
        );
    }

    function test_retire_leavesJobsThatUseItAlone() public {
        uint32[] memory ids = _threeEthModels();
        (, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        vm.prank(creator);
        models.retire(ids[0]);
        vm.prank(client);
        market.release(t);
        assertEq(_royalty(address(0), creator), 0.01 ether, "a retired model's job still pays its creator");
    }

    // ---- posting ----

    function test_postJobWithModels_escrowsTheBudgetInTheMarketAndTheFeesInTheHub() public {
        uint32[] memory ids = _threeEthModels();
        JobParams memory p = _params(JobMode.Claim);
        JobTerms memory t = _terms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));
        uint256 clientBefore = client.balance;

        vm.expectEmit(address(market));
        emit JobPosted(jobId, client, address(0), t, spec);
        vm.expectEmit(address(models));
        emit ILoomModels.ModelsUsed(address(market), jobId, address(0), ids, _fees(0.01 ether, 0.02 ether, 0.03 ether));
        _postWithModels(p, ids);

        assertEq(address(market).balance, 1 ether, "the market holds the budget");
        assertEq(address(models).balance, 0.06 ether, "the hub holds the fees");
        assertEq(client.balance, clientBefore - 1.06 ether, "the client paid both");
        (,,,,, bool royalties) = market.jobs(jobId);
        assertTrue(royalties, "the market settles the job's fees");
        assertEq(models.jobModels(address(market), jobId), uint256(1) | (2 << 32) | (3 << 64), "the ids, packed");
    }

    function test_postJobWithModels_inUsdc() public {
        uint32 a = _publish(creator, 10e6, address(usdc));
        uint32 b = _publish(creator2, 0, address(0)); // a free model's token does not matter
        uint32[] memory ids = _ids(a, b);
        JobParams memory p = _usdcParams(JobMode.Claim);
        bytes32 jobId = keccak256(abi.encode(_terms(p, client, spec)));
        uint256 clientBefore = usdc.balanceOf(client);

        vm.expectEmit(address(models));
        emit ILoomModels.ModelsUsed(address(market), jobId, address(usdc), ids, _fees(10e6, 0));
        _postWithModels(p, ids);

        assertEq(usdc.balanceOf(address(market)), 1_000e6, "the market holds the budget");
        assertEq(usdc.balanceOf(address(models)), 10e6, "the hub holds the fee");
        assertEq(usdc.balanceOf(client), clientBefore - 1_010e6, "the client paid both");
        assertEq(usdc.allowance(address(models), address(market)), 0, "the hub's approval was used up");
    }

    function test_postJobWithModels_revertsOnABadModelList() public {
        uint32[] memory ids = _threeEthModels();
        uint32 usdcModel = _publish(creator, 5e6, address(usdc));
        uint32 retiredModel = _publish(creator, 0.01 ether, address(0));
        vm.prank(creator);
        models.retire(retiredModel);
        JobParams memory p = _params(JobMode.Claim);

        _expectPostWithModelsReverts(p, new uint32[](0), 1 ether, abi.encodeWithSelector(InvalidModelCount.selector, 0, 8));
        uint32[] memory nine = new uint32[](9);
        _expectPostWithModelsReverts(p, nine, 1 ether, abi.encodeWithSelector(InvalidModelCount.selector, 9, 8));
        _expectPostWithModelsReverts(
            p, _ids(ids[0], ids[1], ids[0]), 1.04 ether, abi.encodeWithSelector(DuplicateModel.selector, ids[0])
        );
        _expectPostWithModelsReverts(p, _ids(ids[0], 99), 1.01 ether, abi.encodeWithSelector(ModelNotFound.selector, 99));
        _expectPostWithModelsReverts(
            p, _ids(retiredModel), 1.01 ether, abi.encodeWithSelector(ModelIsRetired.selector, retiredModel)
        );
        _expectPostWithModelsReverts(
            p,
            _ids(ids[0], usdcModel),
            1.01 ether,
            abi.encodeWithSelector(ModelTokenMismatch.selector, usdcModel, address(usdc), address(0))
        );
        _expectPostWithModelsReverts(p, ids, 1 ether, abi.encodeWithSelector(ValueMismatch.selector, 1.06 ether, 1 ether));
        JobParams memory u = _usdcParams(JobMode.Claim);
        _expectPostWithModelsReverts(
            u, _ids(ids[0]), 0, abi.encodeWithSelector(ModelTokenMismatch.selector, ids[0], address(0), address(usdc))
        );
        _expectPostWithModelsReverts(u, _ids(usdcModel), 1, abi.encodeWithSelector(ValueMismatch.selector, 0, 1));
        assertEq(address(models).balance + usdc.balanceOf(address(models)), 0, "nothing escrowed");
    }

    function test_postJobWithModels_theMarketsRulesStillApply() public {
        JobParams memory p = _params(JobMode.Claim);
        p.budget = 0;
        _expectPostWithModelsReverts(p, _threeEthModels(), 0.06 ether, abi.encodeWithSelector(ZeroBudget.selector));
    }

    function test_postJobPaidBy_onlyTheHubAndTheDepositsMayPostForAnother() public {
        JobParams memory p = _params(JobMode.Claim);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(UnexpectedSender.selector, stranger));
        market.postJobPaidBy{value: 1 ether}(p, spec, client);
        ReplicatedParams memory rp = _repParams();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(UnexpectedSender.selector, stranger));
        replicated.postReplicatedJobPaidBy{value: 3 ether}(rp, spec, client);
    }

    // ---- settlement of a single job ----

    function test_release_paysTheCreatorsInFull() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 0.99 ether, 0.01 ether, 0, 0);
        _expectRoyalty(address(market), jobId, ids[0], creator, address(0), 0.01 ether);
        _expectRoyalty(address(market), jobId, ids[1], creator2, address(0), 0.02 ether);
        _expectRoyalty(address(market), jobId, ids[2], creator3, address(0), 0.03 ether);
        vm.recordLogs();
        vm.prank(client);
        market.release(t);
        assertEq(_recordedCount(address(models), ILoomModels.RoyaltyRefunded.selector), 0, "nothing to refund");

        _assertRoyalties(address(0), 0.01 ether, 0.02 ether, 0.03 ether, 0);
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether);
        assertEq(models.jobModels(address(market), jobId), 0, "settled once");
    }

    function test_release_anAcceptedBidStillPaysTheCreatorsInFull() public {
        uint32[] memory ids = _threeEthModels();
        _register(worker, 1 ether);
        JobParams memory p = _params(JobMode.Auction);
        (bytes32 jobId, JobTerms memory t) = _postWithModels(p, ids);
        vm.prank(worker);
        market.placeBid(t, 0.4 ether);
        vm.prank(client);
        market.acceptBid(t, worker);
        _submitFor(t);
        vm.prank(client);
        market.release(t);
        _assertRoyalties(address(0), 0.01 ether, 0.02 ether, 0.03 ether, 0);
        _assertCredits(address(0), 0.6 ether, 0.396 ether, 0.004 ether);
        assertEq(models.jobModels(address(market), jobId), 0);
    }

    function test_release_inUsdc() public {
        uint32[] memory ids = _ids(_publish(creator, 10e6, address(usdc)), _publish(creator2, 25e6, address(usdc)));
        (, JobTerms memory t) = _submittedWithModels(_usdcParams(JobMode.Claim), ids);
        vm.prank(client);
        market.release(t);
        assertEq(_royalty(address(usdc), creator), 10e6);
        assertEq(_royalty(address(usdc), creator2), 25e6);
        assertEq(usdc.balanceOf(address(models)), 35e6, "the hub holds what it credited");
    }

    function test_resolveDispute_paysTheCreatorsTheRulingsShare() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        _disputeFor(t);
        // A quarter of the price to the worker: a quarter of each fee to its creator, the rest back.
        _expectRoyalty(address(market), jobId, ids[0], creator, address(0), 0.0025 ether);
        _expectRoyalty(address(market), jobId, ids[1], creator2, address(0), 0.005 ether);
        _expectRoyalty(address(market), jobId, ids[2], creator3, address(0), 0.0075 ether);
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(market), jobId, client, address(0), 0.045 ether);
        vm.prank(arbiter);
        market.resolveDispute(t, 0.25 ether, 0);
        _assertRoyalties(address(0), 0.0025 ether, 0.005 ether, 0.0075 ether, 0.045 ether);
    }

    function test_resolveDispute_allToTheClientPaysNoCreator() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        _disputeFor(t);
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(market), jobId, client, address(0), 0.06 ether);
        vm.recordLogs();
        vm.prank(arbiter);
        market.resolveDispute(t, 0, 0.1 ether);
        assertEq(_recordedCount(address(models), ILoomModels.RoyaltyPaid.selector), 0, "no royalty");
        _assertRoyalties(address(0), 0, 0, 0, 0.06 ether);
    }

    function test_settleTimedOutDispute_paysTheCreatorsHalf() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        _disputeFor(t);
        vm.warp(block.timestamp + market.ARBITRATION_PERIOD() + 1);
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(market), jobId, client, address(0), 0.03 ether);
        market.settleTimedOutDispute(t);
        _assertRoyalties(address(0), 0.005 ether, 0.01 ether, 0.015 ether, 0.03 ether);
    }

    function test_cancelJob_refundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _postWithModels(_params(JobMode.Claim), ids);
        _expectAllRefunded(jobId);
        vm.prank(client);
        market.cancelJob(t);
        _assertNoRoyaltyPaid();
    }

    function test_expire_refundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _postWithModels(_params(JobMode.Claim), ids);
        vm.warp(uint256(t.openUntil) + 1);
        _expectAllRefunded(jobId);
        market.expire(t);
        _assertNoRoyaltyPaid();
    }

    function test_returnJob_refundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _claimedWithModels(_params(JobMode.Claim), ids);
        _expectAllRefunded(jobId);
        vm.prank(worker);
        market.returnJob(t);
        _assertNoRoyaltyPaid();
    }

    function test_reclaim_refundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _claimedWithModels(_params(JobMode.Claim), ids);
        vm.warp(block.timestamp + t.executionTimeout + 1);
        _expectAllRefunded(jobId);
        market.reclaim(t);
        _assertNoRoyaltyPaid();
    }

    function test_withdraw_creatorsAndClientsTakeTheirCreditsFromTheHub() public {
        uint32[] memory ids = _threeEthModels();
        (, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        _disputeFor(t);
        vm.prank(arbiter);
        market.resolveDispute(t, 0.5 ether, 0);

        uint256 before = creator.balance;
        vm.expectEmit(address(models));
        emit Withdrawn(creator, address(0), creator, 0.005 ether);
        vm.prank(creator);
        models.withdraw(address(0), creator);
        assertEq(creator.balance, before + 0.005 ether, "the royalty arrived");
        _expectRefusedBy(
            address(models),
            creator,
            abi.encodeCall(models.withdraw, (address(0), creator)),
            abi.encodeWithSelector(NothingToWithdraw.selector, creator, address(0))
        );

        vm.expectEmit(address(models));
        emit Withdrawn(client, address(0), stranger, 0.03 ether);
        vm.prank(client);
        models.withdraw(address(0), stranger);
        vm.prank(creator2);
        models.withdraw(address(0), creator2);
        vm.prank(creator3);
        models.withdraw(address(0), creator3);
        assertEq(address(models).balance, 0, "the hub paid out everything");
    }

    function test_settle_byAnotherCallerTouchesNoJob() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), ids);
        vm.recordLogs();
        vm.prank(stranger);
        models.settle(jobId, stranger, 1, 1);
        vm.prank(address(replicated));
        models.settle(jobId, stranger, 1, 1);
        assertEq(vm.getRecordedLogs().length, 0, "nothing happened");
        assertEq(models.jobModels(address(market), jobId), uint256(1) | (2 << 32) | (3 << 64), "still escrowed");
        assertEq(_royalty(address(0), stranger), 0);

        vm.prank(client);
        market.release(t);
        _assertRoyalties(address(0), 0.01 ether, 0.02 ether, 0.03 ether, 0);
    }

    function test_release_paysTheFeeFixedAtPostingWhateverVersionsFollow() public {
        uint32 first = _publish(creator, 0.01 ether, address(0));
        (, JobTerms memory t) = _submittedWithModels(_params(JobMode.Claim), _ids(first));
        ModelParams memory m = _modelParams(0.5 ether, address(0));
        m.version = "2.0";
        m.previous = first;
        uint32 second = _publish(creator, m);
        vm.prank(creator);
        models.retire(first);
        vm.prank(client);
        market.release(t);
        assertEq(_royalty(address(0), creator), 0.01 ether, "the old job pays the old version's fee");

        JobParams memory p = _params(JobMode.Claim);
        p.salt = 1;
        (, JobTerms memory t2) = _postWithModels(p, _ids(second));
        vm.prank(worker);
        market.claimJob(t2);
        _submitFor(t2);
        vm.prank(client);
        market.release(t2);
        assertEq(_royalty(address(0), creator), 0.51 ether, "a new job pays the new version's");
    }

    // ---- replicated jobs ----

    function test_postReplicatedJobWithModels_escrowsBothAndNamesTheClient() public {
        uint32[] memory ids = _threeEthModels();
        ReplicatedParams memory p = _repParams();
        ReplicatedTerms memory t = _repTerms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));
        vm.expectEmit(address(replicated));
        emit ReplicatedJobPosted(jobId, client, address(0), t, spec);
        vm.expectEmit(address(models));
        emit ILoomModels.ModelsUsed(address(replicated), jobId, address(0), ids, _fees(0.01 ether, 0.02 ether, 0.03 ether));
        _postRepWithModels(p, ids);
        assertEq(address(replicated).balance, 3 ether, "the replicated market holds the budget");
        assertEq(address(models).balance, 0.06 ether, "the hub holds the fees");
        (,,,,,, bool royalties) = replicated.replicatedJobs(jobId);
        assertTrue(royalties, "the replicated market settles the fees");
    }

    function test_postReplicatedJobWithModels_revertsForAMarketTheRegistryDoesNotTrust() public {
        uint32[] memory ids = _threeEthModels();
        LoomReplicatedMarket rogue = new LoomReplicatedMarket(registry, owner, treasury, FEE_BPS, models);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(UntrustedMarket.selector, address(rogue)));
        models.postReplicatedJobWithModels{value: 3.06 ether}(rogue, _repParams(), spec, ids);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(UntrustedMarket.selector, stranger));
        models.postReplicatedJobWithModels{value: 3.06 ether}(ILoomReplicatedMarket(stranger), _repParams(), spec, ids);
    }

    function test_finalize_quorumReachedPaysTheCreators() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, ReplicatedTerms memory t) = _repPlayedOut(ids, _hashes(AGREED, AGREED, DISSENT));
        _expectRoyalty(address(replicated), jobId, ids[0], creator, address(0), 0.01 ether);
        _expectRoyalty(address(replicated), jobId, ids[1], creator2, address(0), 0.02 ether);
        _expectRoyalty(address(replicated), jobId, ids[2], creator3, address(0), 0.03 ether);
        _finalize(t);
        _assertRoyalties(address(0), 0.01 ether, 0.02 ether, 0.03 ether, 0);
        assertEq(models.jobModels(address(replicated), jobId), 0, "settled");
    }

    function test_finalize_noQuorumRefundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, ReplicatedTerms memory t) = _repPlayedOut(ids, _hashes(AGREED, DISSENT, OTHER));
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(replicated), jobId, client, address(0), 0.06 ether);
        vm.recordLogs();
        _finalize(t);
        _assertNoRoyaltyPaid();
    }

    function test_finalize_expiredUnfilledRefundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, ReplicatedTerms memory t) = _postRepWithModels(_repParams(), ids);
        _takeSlots(t, 1);
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(replicated), jobId, client, address(0), 0.06 ether);
        vm.recordLogs();
        _finalize(t);
        _assertNoRoyaltyPaid();
    }

    function test_cancelReplicatedJob_refundsEveryFee() public {
        uint32[] memory ids = _threeEthModels();
        (bytes32 jobId, ReplicatedTerms memory t) = _postRepWithModels(_repParams(), ids);
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(replicated), jobId, client, address(0), 0.06 ether);
        vm.recordLogs();
        vm.prank(client);
        replicated.cancelReplicatedJob(t);
        _assertNoRoyaltyPaid();
    }

    // ---- helpers ----

    function _imageParams() internal pure returns (ModelParams memory m) {
        m = _modelParams(0, address(0));
        m.name = "loom-runtime";
        m.kind = ModelKind.Image;
        m.files = new ModelFile[](0);
        m.image = "ghcr.io/loom/runtime@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    }

    function _fees(uint96 a, uint96 b) internal pure returns (uint96[] memory f) {
        f = new uint96[](2);
        (f[0], f[1]) = (a, b);
    }

    function _fees(uint96 a, uint96 b, uint96 c) internal pure returns (uint96[] memory f) {
        f = new uint96[](3);
        (f[0], f[1], f[2]) = (a, b, c);
    }

    function _expectPublishReverts(address who, ModelParams memory m, bytes memory revertData) internal {
        _expectRefusedBy(address(models), who, abi.encodeCall(models.publish, (m)), revertData);
    }

    function _expectBadContent(ModelKind kind, ModelFile[] memory files, string memory image) internal {
        ModelParams memory m = _modelParams(0, address(0));
        (m.kind, m.files, m.image) = (kind, files, image);
        _expectPublishReverts(
            creator,
            m,
            abi.encodeWithSelector(InvalidModelContent.selector, uint8(kind), files.length, bytes(image).length)
        );
    }

    function _expectPostWithModelsReverts(JobParams memory p, uint32[] memory ids, uint256 value, bytes memory revertData)
        internal
    {
        vm.prank(client);
        vm.expectRevert(revertData);
        models.postJobWithModels{value: value}(p, spec, ids);
    }

    function _expectRoyalty(address from, bytes32 jobId, uint32 modelId, address to, address token, uint96 amount)
        internal
    {
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyPaid(from, jobId, modelId, to, token, amount);
    }

    /// @dev The next call refunds the three ETH models' 0.06 ETH to the client (and records the logs).
    function _expectAllRefunded(bytes32 jobId) internal {
        vm.expectEmit(address(models));
        emit ILoomModels.RoyaltyRefunded(address(market), jobId, client, address(0), 0.06 ether);
        vm.recordLogs();
    }

    /// @dev No RoyaltyPaid among the recorded logs, no creator credited, every fee back with the client.
    function _assertNoRoyaltyPaid() internal {
        assertEq(_recordedCount(address(models), ILoomModels.RoyaltyPaid.selector), 0, "no royalty paid");
        _assertRoyalties(address(0), 0, 0, 0, 0.06 ether);
    }

    function _assertRoyalties(address token, uint256 toCreator, uint256 toCreator2, uint256 toCreator3, uint256 toClient)
        internal
        view
    {
        assertEq(_royalty(token, creator), toCreator, "creator's royalty");
        assertEq(_royalty(token, creator2), toCreator2, "creator2's royalty");
        assertEq(_royalty(token, creator3), toCreator3, "creator3's royalty");
        assertEq(_royalty(token, client), toClient, "fees refunded to the client");
        uint256 held = token == address(0) ? address(models).balance : usdc.balanceOf(address(models));
        assertEq(held, toCreator + toCreator2 + toCreator3 + toClient, "the hub holds exactly its credits");
    }

    /// @dev A 3-replica job through the hub whose slots commit and reveal `results`, ready to finalize.
    function _repPlayedOut(uint32[] memory ids, bytes32[] memory results)
        internal
        returns (bytes32 jobId, ReplicatedTerms memory t)
    {
        (jobId, t) = _postRepWithModels(_repParams(), ids);
        _takeSlots(t, 3);
        _commitAndReveal(t, results, _flags(true, true, true));
        vm.warp(_revealDeadlineOf(jobId, t) + 1);
    }
}
